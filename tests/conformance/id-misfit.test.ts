/**
 * A document whose create answers an id its read cannot take (a plain string where the read's path
 * parameter is a UUID, as resend's automations are): a server doing what the document says sends
 * "string" back, and a request with it would be refused for the document's fault. The runner does
 * not send such a request as a valid one; it says why, and fails nothing for it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LocalServer, localServer } from '../support/local-server.js';
import { runConformance } from '../support/runner.js';

const UUID = /^\/automations\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let server: LocalServer;
let base = '';
const paths: string[] = [];

beforeAll(async () => {
  server = await localServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/automations') {
        res.writeHead(req.headers['content-type'] === 'application/json' ? 201 : 400);
        return res.end(JSON.stringify({ id: 'string' }));
      }
      if (req.method === 'GET' && UUID.test(req.url ?? '')) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(400);
      res.end();
    });
  });
  base = server.url;
});
afterAll(() => server.close());

test("an id the read's parameter refuses is not sent as a valid request: counted as not sent, with why", async () => {
  const run = await runConformance(
    ['--spec', 'tests/fixtures/openapi/uuid-id.yaml', '--base-url', base, '--seed', '7', '--max-cases', '5'],
    { killAfterMs: 120_000 },
  );
  expect(paths).not.toContain('GET /automations/string');
  expect(
    run.report?.failures.filter((f) => f.check === 'positive_data_accepted'),
    run.describe(),
  ).toEqual([]);
  expect(run.report?.notSentBy, run.describe()).toContainEqual({
    operationId: 'getAutomation',
    reason:
      'createAutomation answered "string" for automation_id, which the parameter\'s schema refuses: the document\'s createAutomation and getAutomation disagree',
    requests: expect.any(Number),
  });
});
