/**
 * A membership named by its path alone (`PUT|DELETE /groups/{groupId}/users/{userId}` beside
 * `GET /groups/{groupId}/users`, both collections made by a create): the mock keeps it as a declared
 * add-members and remove-members, lists the members as stored, and answers the documented 404 for a
 * user or group never created.
 */
import { afterEach, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';

const SPEC = 'tests/fixtures/openapi/path-membership.yaml';

let mock: Awaited<ReturnType<typeof startMock>> | undefined;
afterEach(() => mock?.close());

const send = (url: string, method = 'GET', body?: unknown) =>
  fetch(url, {
    method,
    headers: { 'x-api-key': 'k', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function made(base: string) {
  const user = (await (await send(`${base}/users`, 'POST', { profile: { login: 'ada' } })).json()) as { id: string };
  const other = (await (await send(`${base}/users`, 'POST', { profile: { login: 'bob' } })).json()) as { id: string };
  const group = (await (await send(`${base}/groups`, 'POST', { profile: { name: 'crew' } })).json()) as { id: string };
  return { user, other, group };
}

it('keeps a member a PUT adds, lists it as stored, and lets it go on DELETE', async () => {
  mock = await startMock({ port: 0, specFiles: [SPEC] });
  const base = mock.apis[0]!.baseUrl;
  const { user, group } = await made(base);
  expect(await (await send(`${base}/groups/${group.id}/users`)).json()).toEqual([]);
  expect((await send(`${base}/groups/${group.id}/users/${user.id}`, 'PUT')).status).toBe(204);
  expect(await (await send(`${base}/groups/${group.id}/users`)).json()).toEqual([
    { id: user.id, profile: { login: 'ada' } },
  ]);
  expect((await send(`${base}/groups/${group.id}/users/${user.id}`, 'DELETE')).status).toBe(204);
  expect(await (await send(`${base}/groups/${group.id}/users`)).json()).toEqual([]);
});

it('answers the documented 404 for a user or a group never created, and adds no one', async () => {
  mock = await startMock({ port: 0, specFiles: [SPEC] });
  const base = mock.apis[0]!.baseUrl;
  const { user, group } = await made(base);
  expect((await send(`${base}/groups/${group.id}/users/00ub0oNGTSWTBKOLGLNR`, 'PUT')).status).toBe(404);
  expect((await send(`${base}/groups/00g9999/users/${user.id}`, 'PUT')).status).toBe(404);
  expect((await send(`${base}/groups/${group.id}/users/00ub0oNGTSWTBKOLGLNR`, 'DELETE')).status).toBe(404);
  expect(await (await send(`${base}/groups/${group.id}/users`)).json()).toEqual([]);
});

it('each group lists only its own members', async () => {
  mock = await startMock({ port: 0, specFiles: [SPEC] });
  const base = mock.apis[0]!.baseUrl;
  const { user, other, group } = await made(base);
  const second = (await (await send(`${base}/groups`, 'POST', { profile: { name: 'b' } })).json()) as { id: string };
  await send(`${base}/groups/${group.id}/users/${user.id}`, 'PUT');
  await send(`${base}/groups/${second.id}/users/${other.id}`, 'PUT');
  const ids = async (id: string) =>
    ((await (await send(`${base}/groups/${id}/users`)).json()) as { id: string }[]).map((u) => u.id);
  expect(await ids(group.id)).toEqual([user.id]);
  expect(await ids(second.id)).toEqual([other.id]);
});
