/**
 * The HTTP client settles every exchange, whatever undici does with it: a request undici never
 * starts (it refuses a framing header after accepting the dispatch) times out as a case failure
 * instead of leaving a promise pending (which ended the whole run with exit 13 and no output).
 * What reaches the checks is a final answer (interim ones skipped), decoded within the body cap,
 * and JSON no deeper than the client evaluates; anything else is a TransportError saying why.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { HttpClient, MAX_JSON_DEPTH, type SendResult } from '../../conformance/http/client.js';
import { type HostileServer, hostileServer, refusingPort, reply } from '../hostile/servers.js';

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

/** One exchange with a client of its own against a server that answers every request with `answer`. */
async function exchange(
  answer: (socket: Socket) => void,
  options: { maxBodyBytes?: number; requests?: number } = {},
): Promise<SendResult[]> {
  const target: HostileServer = await hostileServer((_request, socket) => answer(socket));
  const client = new HttpClient({ timeoutMs: 5000, maxBodyBytes: options.maxBodyBytes ?? 1024, connections: 1 });
  try {
    const results: SendResult[] = [];
    for (let i = 0; i < (options.requests ?? 1); i++) {
      results.push(await client.send({ method: 'GET', url: `${target.url}/x`, headers: {} }));
    }
    return results;
  } finally {
    await client.close();
    await target.close();
  }
}

const answered = (result: SendResult | undefined) => (result && 'response' in result ? result.response : undefined);
const failed = (result: SendResult | undefined) => (result && 'error' in result ? result.error : undefined);

test('a refused connection is an error of the case, not of the run', async () => {
  const refusing = await refusingPort();
  const client = new HttpClient({ timeoutMs: 5000, maxBodyBytes: 1024, connections: 1 });
  try {
    const result = await client.send({ method: 'GET', url: `${refusing.url}/x`, headers: {} });
    expect(failed(result)).toEqual({ reason: 'connection', message: 'connection refused', unsent: true });
  } finally {
    await client.close();
    await refusing.release();
  }
});

test('100 Continue, however it is split, and 103 are skipped, on a fresh and on a reused connection', async () => {
  const answer = Buffer.from(
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100\r\nx: y\r\n\r\n' +
      `HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n${reply('200 OK', '{"a":1}').toString()}`,
  );
  const results = await exchange(
    (socket) => {
      socket.setNoDelay(true);
      // One byte at a time, each on its own turn of the event loop.
      const next = (at: number): void => {
        if (at < answer.length && !socket.destroyed)
          socket.write(answer.subarray(at, at + 1), () => setImmediate(next, at + 1));
      };
      next(0);
    },
    { requests: 2 },
  );
  for (const result of results) expect(answered(result)).toMatchObject({ status: 200, json: { value: { a: 1 } } });
});

test('a body over the cap: refused on its Content-Length, or once read past the cap', async () => {
  const [declared] = await exchange((socket) => socket.write(reply('200 OK', 'x'.repeat(2048))));
  expect(failed(declared)).toEqual({
    reason: 'too-large',
    message: 'response body larger than the 1 KB cap',
    status: 200,
    headers: { 'content-length': '2048' },
  });
  const [chunked] = await exchange((socket) =>
    socket.write(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n800\r\n${'x'.repeat(2048)}\r\n0\r\n\r\n`),
  );
  expect(failed(chunked)?.message).toBe('response body larger than the 1 KB cap');
});

test('gzip, deflate (wrapped or raw) and br are decoded up to the cap; unknown codings are said so', async () => {
  const json = Buffer.from('{"a":1}');
  for (const [coding, body] of [
    ['gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['deflate', deflateRawSync(json)],
    ['br', brotliCompressSync(json)],
    ['gzip, br', brotliCompressSync(gzipSync(json))],
  ] as const) {
    const [result] = await exchange((socket) => socket.write(reply('200 OK', body, { 'content-encoding': coding })));
    expect(answered(result)?.json, coding).toEqual({ value: { a: 1 } });
  }
  const [bomb] = await exchange((socket) =>
    socket.write(reply('200 OK', gzipSync(Buffer.alloc(1025)), { 'content-encoding': 'gzip' })),
  );
  expect(failed(bomb)?.message).toBe('response body larger than the 1 KB cap once decoded (gzip)');
  const [unknown] = await exchange((socket) => socket.write(reply('200 OK', 'x', { 'content-encoding': 'zstd' })));
  expect(failed(unknown)).toMatchObject({ reason: 'other', message: 'Content-Encoding zstd cannot be decoded' });
  const [corrupt] = await exchange((socket) =>
    socket.write(reply('200 OK', 'not gzip', { 'content-encoding': 'gzip' })),
  );
  expect(failed(corrupt)?.message).toMatch(/^gzip body cannot be decoded: /);
});

test(`JSON up to ${MAX_JSON_DEPTH} levels is parsed, deeper is not; brackets in strings do not count`, async () => {
  const depth = (levels: number, inside = '1') => `${'['.repeat(levels)}${inside}${']'.repeat(levels)}`;
  const send = async (body: string) =>
    (await exchange((socket) => socket.write(reply('200 OK', body)), { maxBodyBytes: 1e6 }))[0];
  expect(answered(await send(depth(MAX_JSON_DEPTH)))?.json).toBeDefined();
  expect(answered(await send(depth(MAX_JSON_DEPTH - 1, `"${'['.repeat(5000)}"`)))?.json).toBeDefined();
  expect(failed(await send(depth(MAX_JSON_DEPTH + 1)))).toMatchObject({
    reason: 'too-large',
    message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    status: 200,
  });
});

test('headers over the limit, a close without an answer, a reset: each said as it is', async () => {
  const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-${i}`, 'yyyyyyyy']));
  const [overflow] = await exchange((socket) => socket.write(reply('200 OK', '{}', many)));
  expect(failed(overflow)).toEqual({ reason: 'too-large', message: 'response headers larger than the 16 KB limit' });
  const [closed] = await exchange((socket) => socket.end());
  expect(failed(closed)).toEqual({
    reason: 'connection',
    message: 'the server closed the connection without an answer',
  });
  const [reset] = await exchange((socket) => socket.resetAndDestroy());
  expect(failed(reset)).toEqual({ reason: 'connection', message: 'connection reset by the server' });
});

test("a 101 Switching Protocols to a request that asked for no upgrade is said so, not as the client's assertion", async () => {
  const [switched] = await exchange((socket) => socket.write('HTTP/1.1 101 Switching Protocols\r\n\r\n'));
  expect(failed(switched)).toEqual({
    reason: 'other',
    message: 'the server answered 101 Switching Protocols to a request that asked for no upgrade',
  });
});

test('a connection closed before any answer: an idempotent request is sent once more, a POST is not', async () => {
  // The first request of every connection is met with a close (an idle keep-alive connection closed
  // just as a request went out on it looks the same); the next connection is answered.
  let arrived = 0;
  const closing = createServer((req, res) => {
    arrived++;
    if (arrived % 2 === 1) req.socket.destroy();
    else res.end('{}');
  });
  await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closing.address() as { port: number }).port}/x`;
  const client = new HttpClient({ timeoutMs: 2000, maxBodyBytes: 1024, connections: 1 });
  try {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const result = await client.send({ method, url, headers: {} });
      expect('response' in result && result.response.status, method).toBe(200);
    }
    expect(arrived).toBe(6);
    const post = await client.send({ method: 'POST', url, headers: {}, body: '{}' });
    expect('error' in post && post.error.reason).toBe('connection');
    expect(arrived).toBe(7);
  } finally {
    await client.close();
    closing.closeAllConnections();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  }
});

test('a documented body on DELETE or GET keeps the connection for the next request', async () => {
  let connections = 0;
  const counting = createServer((req, res) => {
    let length = 0;
    req.on('data', (chunk: Buffer) => (length += chunk.length));
    req.on('end', () => res.end(JSON.stringify({ method: req.method, length })));
  });
  counting.on('connection', () => connections++);
  await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(counting.address() as { port: number }).port}/x`;
  const client = new HttpClient({ timeoutMs: 5000, maxBodyBytes: 1024, connections: 1 });
  try {
    const bodies = [];
    for (const method of ['DELETE', 'DELETE', 'GET', 'POST', 'DELETE']) {
      const result = await client.send({ method, url, headers: { 'content-type': 'application/json' }, body: '[1,2]' });
      bodies.push(answered(result)?.json?.value);
    }
    expect(bodies).toEqual(['DELETE', 'DELETE', 'GET', 'POST', 'DELETE'].map((method) => ({ method, length: 5 })));
    expect(connections).toBe(1);
  } finally {
    await client.close();
    await new Promise<void>((resolve) => counting.close(() => resolve()));
  }
});
