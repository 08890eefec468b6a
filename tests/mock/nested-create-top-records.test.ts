/**
 * The mock keeps the records a create under a parent's record makes for a collection at the top in
 * that collection (`POST /users/{user_id}/organization_memberships` beside `POST
 * /organization_memberships`, both answering one membership): the top reads, counts and deletes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { sendJson, sendJsonFor } from '../support/send-json.js';

type Answer = { organization_membership: { id: number; user_id: number; role: string } };

describe.each([
  ['no item path under the user', 'tests/fixtures/openapi/nested-create-top-delete.yaml'],
  ['item paths under the user too', 'tests/fixtures/openapi/nested-create-nested-delete.yaml'],
])('memberships made under a user, %s', (_, spec) => {
  let mock: RunningMock;
  let base: string;
  beforeAll(async () => {
    mock = await startMock({ port: 0, specFiles: [spec] });
    base = mock.apis[0]!.baseUrl;
  });
  afterAll(() => mock.close());

  it('are read and deleted at the top, and share its ids with the memberships made there', async () => {
    await sendJson(`${mock.url}/__mock/reset`, 'POST');
    const user = await sendJsonFor<{ user: { id: number } }>(`${base}/users`, 'POST', { user: { name: 'Ada' } });
    const nested = await sendJson(`${base}/users/${user.user.id}/organization_memberships`, 'POST', {
      organization_membership: { role: 'admin' },
    });
    expect(nested.status).toBe(201);
    const made = (await nested.json()) as Answer;
    expect(made.organization_membership).toMatchObject({ user_id: user.user.id, role: 'admin' });
    const id = made.organization_membership.id;
    const read = await sendJson(`${base}/organization_memberships/${id}`, 'GET');
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(made);
    const top = await sendJsonFor<Answer>(`${base}/organization_memberships`, 'POST', {
      organization_membership: { user_id: user.user.id, role: 'member' },
    });
    expect(top.organization_membership.id).not.toBe(id);
    const state = await sendJsonFor<Record<string, Record<string, unknown[]>>>(`${mock.url}/__mock/state`, 'GET');
    expect(state[mock.apis[0]!.name]!['/organization_memberships']).toHaveLength(2);
    expect(Object.keys(state[mock.apis[0]!.name]!)).not.toContain('/users/{user_id}/organization_memberships');
    expect((await sendJson(`${base}/organization_memberships/${id}`, 'DELETE')).status).toBe(204);
    expect((await sendJson(`${base}/organization_memberships/${id}`, 'GET')).status).toBe(404);
    const after = await sendJsonFor<Record<string, Record<string, unknown[]>>>(`${mock.url}/__mock/state`, 'GET');
    expect(after[mock.apis[0]!.name]!['/organization_memberships']).toEqual([top.organization_membership]);
  });
});

it("a membership made under a user is read under that user, and not under another's", async () => {
  const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/nested-create-nested-delete.yaml'] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const user = async (name: string) =>
      (await sendJsonFor<{ user: { id: number } }>(`${base}/users`, 'POST', { user: { name } })).user.id;
    const [ada, bob] = [await user('Ada'), await user('Bob')];
    const made = await sendJsonFor<Answer>(`${base}/users/${ada}/organization_memberships`, 'POST', {
      organization_membership: { role: 'admin' },
    });
    const id = made.organization_membership.id;
    expect((await sendJson(`${base}/users/${ada}/organization_memberships/${id}`, 'GET')).status).toBe(200);
    expect((await sendJson(`${base}/users/${bob}/organization_memberships/${id}`, 'GET')).status).toBe(404);
    expect((await sendJson(`${base}/users/${ada}/organization_memberships/${id}`, 'DELETE')).status).toBe(204);
    expect((await sendJson(`${base}/organization_memberships/${id}`, 'GET')).status).toBe(404);
  } finally {
    await mock.close();
  }
});
