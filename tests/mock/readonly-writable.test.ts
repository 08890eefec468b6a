/**
 * A property the answer's schema marks readOnly that the create and replace request bodies declare
 * writable (an identity's `value`): the request says what a client writes, so the mock keeps it as
 * sent, answers it as sent and replaces it; what no request sends (the id) stays the server's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/readonly-in-answer-writable.yaml';

let mock: RunningMock;
let base: string;

beforeAll(async () => {
  mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  base = mock.apis[0]!.baseUrl;
});

afterAll(async () => {
  await mock.close();
});

const send = (method: string, path: string, body: unknown): Promise<Response> =>
  fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const read = async (path: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: await response.json() };
};

describe('a property readOnly in the answer, writable in the request', () => {
  it('is kept and answered as the create sent it, and replaced by a PUT that sends it', async () => {
    const created = await send('POST', '/identities', { identity: { value: 'a@b.c' } });
    expect(created.status).toBe(201);
    const { identity } = (await created.json()) as { identity: { id: number; value: string; verified: boolean } };
    // Not the example's `cabanaboy`: the answer shows what the mock stored.
    expect(identity).toEqual({ id: expect.any(Number), value: 'a@b.c', verified: false });
    const path = `/identities/${identity.id}`;
    expect(await read(path)).toEqual({ status: 200, body: { identity } });

    // The id is sent too, but no request declares it: it stays the server's.
    const replaced = await send('PUT', path, { identity: { id: 5, value: 'x@y.z', verified: true } });
    expect(replaced.status).toBe(200);
    const after = { identity: { id: identity.id, value: 'x@y.z', verified: true } };
    expect(await replaced.json()).toEqual(after);
    expect(await read(path)).toEqual({ status: 200, body: after });
  });

  it('passes the runner, its stateful rules included', async () => {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', base, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.getIdentity?.checks.stateful_rules?.passed).toBeGreaterThan(0);
  });
});
