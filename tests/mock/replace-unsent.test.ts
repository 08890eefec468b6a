/**
 * A field an update does not send: a merge (PATCH) keeps its stored value; a replace (a PUT whose
 * body requires fields) leaves what a create without it would hold (null where the record requires
 * it and allows null, nothing for an optional one) and keeps what no request can send (`state`).
 * Never the value of a documented example the client did not send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/replace-unsent-fields.yaml';

let mock: RunningMock;
let base: string;

beforeAll(async () => {
  mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  base = mock.apis[0]!.baseUrl;
});

afterAll(async () => {
  await mock.close();
});

const send = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
};

async function created(): Promise<{ id: number; path: string }> {
  const made = await send('POST', '/people', { email: 'lin@example.com', first_name: 'Lin', nickname: 'L' });
  expect(made.status).toBe(201);
  const { person } = made.body as { person: { id: number } };
  expect(person).toEqual({
    id: person.id,
    email: 'lin@example.com',
    first_name: 'Lin',
    nickname: 'L',
    state: 'inactive',
  });
  return { id: person.id, path: `/people/${person.id}` };
}

describe('an update that leaves fields out', () => {
  it('a merge keeps what it did not send', async () => {
    const { id, path } = await created();
    const after = { person: { id, email: 'lin2@example.com', first_name: 'Lin', nickname: 'L', state: 'inactive' } };
    expect(await send('PATCH', path, { email: 'lin2@example.com' })).toEqual({ status: 200, body: after });
    expect(await send('GET', path)).toEqual({ status: 200, body: after });
  });

  it("a replace leaves null in a required nullable field, drops an optional one and keeps the server's", async () => {
    const { id, path } = await created();
    // Not the example's first_name "Alice", nickname "Al" or state "active".
    const after = { person: { id, email: 'lin2@example.com', first_name: null, state: 'inactive' } };
    expect(await send('PUT', path, { email: 'lin2@example.com' })).toEqual({ status: 200, body: after });
    expect(await send('GET', path)).toEqual({ status: 200, body: after });
    // A later merge that sends the name again shows it, and keeps the rest.
    expect(await send('PATCH', path, { first_name: 'Lin' })).toEqual({
      status: 200,
      body: { person: { ...after.person, first_name: 'Lin' } },
    });
  });

  it('passes the runner, its stateful rules included', async () => {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', base, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  });
});
