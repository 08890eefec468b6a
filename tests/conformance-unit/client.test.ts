/**
 * The HTTP client settles every exchange, whatever undici does with it: a request undici never
 * starts (it refuses a framing header after accepting the dispatch) times out as a case failure
 * instead of leaving a promise pending (which ended the whole run with exit 13 and no output).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { HttpClient } from '../../conformance/http/client.js';

let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  origin = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('exchanges undici refuses or never starts all settle, as errors of their own case', async () => {
  const client = new HttpClient({ timeoutMs: 300, maxBodyBytes: 1024, connections: 2 });
  try {
    // One client, in this order: after the first refusal undici left the later exchanges unstarted.
    for (const headers of <Record<string, string>[]>[
      { expect: '100-continue' },
      { 'transfer-encoding': 'chunked' },
      { 'keep-alive': '5' },
      { upgrade: 'h2c' },
      { 'content-length': '5' },
    ]) {
      const results = await Promise.all(
        [1, 2].map(() => client.send({ method: 'POST', url: `${origin}/x`, headers, body: '{}' })),
      );
      for (const result of results) expect('error' in result, JSON.stringify(headers)).toBe(true);
    }
  } finally {
    await client.close();
  }
}, 10_000);

test('an ordinary exchange still answers', async () => {
  const client = new HttpClient({ timeoutMs: 1000, maxBodyBytes: 1024, connections: 2 });
  try {
    const result = await client.send({ method: 'GET', url: `${origin}/x`, headers: {} });
    expect('response' in result && result.response.status).toBe(200);
  } finally {
    await client.close();
  }
});
