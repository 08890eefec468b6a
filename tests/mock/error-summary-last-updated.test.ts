/**
 * Names the mock reads in a body it writes: an error's `errorSummary` (and each `errorCauses[]` one)
 * says what went wrong, and a record's `lastUpdated` is stamped at every write, as `updatedAt` is.
 */
import { afterEach, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';

const SPEC = 'tests/fixtures/openapi/error-summary-last-updated.yaml';

let mock: Awaited<ReturnType<typeof startMock>> | undefined;
afterEach(() => mock?.close());

const send = (url: string, method: string, body: unknown) =>
  fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

it('an error summary names the violation, in the body and in each of its causes', async () => {
  mock = await startMock({ port: 0, specFiles: [SPEC] });
  const refused = await send(`${mock.apis[0]!.baseUrl}/users`, 'POST', { profile: { login: 5 } });
  expect(refused.status).toBe(400);
  expect(await refused.json()).toEqual({
    errorSummary: 'profile.login must be string',
    errorCauses: [{ errorSummary: 'profile.login must be string' }],
    errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
  });
});

it('lastUpdated is the time of the last write, created the time of the create', async () => {
  let now = Date.parse('2026-01-02T03:04:05Z');
  mock = await startMock({ port: 0, specFiles: [SPEC], clock: () => now });
  const base = mock.apis[0]!.baseUrl;
  const made = (await (await send(`${base}/groups`, 'POST', { profile: { name: 'a' } })).json()) as { id: string };
  now += 60_000;
  await send(`${base}/groups/${made.id}`, 'PUT', { profile: { name: 'b' } });
  expect(await (await fetch(`${base}/groups/${made.id}`)).json()).toMatchObject({
    created: '2026-01-02T03:04:05.000Z',
    lastUpdated: '2026-01-02T03:05:05.000Z',
    profile: { name: 'b' },
  });
});
