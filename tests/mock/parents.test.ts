/**
 * Records of a nested collection belong to the parent they were made under: listed, read, deleted
 * and compared for uniqueness under it only, as the path says (`/contacts/{id}/notes`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { MockClient } from './support/mock-client.js';

describe('a nested collection (REST shape)', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/nested-parents.yaml'] });
  });
  afterAll(() => mock.close());

  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${mock.url}/nested${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const notes = async (contact: string) =>
    ((await send('GET', `/contacts/${contact}/notes`)).json as { notes: { id: number; body: string }[] }).notes;

  it('lists, reads and deletes a record under its own parent only', async () => {
    const first = (await send('POST', '/contacts/1/notes', { body: 'of one' })).json as { id: number };
    const second = (await send('POST', '/contacts/2/notes', { body: 'of two' })).json as { id: number };
    expect(first.id).not.toBe(second.id);

    expect((await notes('1')).map((n) => n.body)).toContain('of one');
    expect((await notes('1')).map((n) => n.body)).not.toContain('of two');
    expect((await notes('2')).map((n) => n.body)).toEqual(expect.arrayContaining(['of two']));
    expect((await notes('2')).map((n) => n.body)).not.toContain('of one');

    expect((await send('GET', `/contacts/2/notes/${first.id}`)).status).toBe(404);
    // The parent is the contact, however its integer id is spelled.
    expect(await send('GET', `/contacts/01/notes/${first.id}`)).toMatchObject({ status: 200, json: first });

    expect((await send('DELETE', `/contacts/2/notes/${first.id}`)).status).toBe(404);
    expect((await send('GET', `/contacts/1/notes/${first.id}`)).status).toBe(200);
    expect((await send('DELETE', `/contacts/1/notes/${first.id}`)).status).toBe(204);
    expect((await send('GET', `/contacts/1/notes/${first.id}`)).status).toBe(404);
    expect((await send('GET', `/contacts/2/notes/${second.id}`)).status).toBe(200);
  });
});

describe('a collection nested under records of another (REST shape)', () => {
  it('answers the documented 404 under a parent never stored or deleted', async () => {
    const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/nested-under-created.yaml'] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const post = (path: string, body: unknown) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post('/contacts/99/notes', { body: 'orphan' })).status).toBe(404);
      expect((await fetch(`${base}/contacts/99/notes`)).status).toBe(404);
      const { id } = (await (await post('/contacts', { name: 'Ada' })).json()) as { id: string };
      expect((await post(`/contacts/${id}/notes`, { body: 'kept' })).status).toBe(201);
      expect((await fetch(`${base}/contacts/${id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${base}/contacts/${id}/notes`)).status).toBe(404);
    } finally {
      await mock.close();
    }
  });
});

describe('8x8: groups belong to the account in their path', () => {
  let mock: RunningMock;
  let client: MockClient;
  beforeAll(async () => {
    mock = await startMock({ port: 0 });
    client = await MockClient.connect(mock);
  });
  afterAll(() => mock.close());

  const ONE = '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35';
  const TWO = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const createGroup = (accountId: string, name: string) =>
    client.call('8x8', 'createGroup', { params: { accountId }, body: { name } });

  it('a name is taken within its account only, and a group is read in its account only', async () => {
    const made = await createGroup(ONE, 'Team');
    expect(made.status).toBe(201);
    expect((await createGroup(ONE, 'Team')).status).toBe(409);
    expect((await createGroup(TWO, 'Team')).status).toBe(201);
    const id = String((made.json as { id: number }).id);
    expect((await client.call('8x8', 'getGroup', { params: { accountId: ONE, groupId: id } })).status).toBe(200);
    expect((await client.call('8x8', 'getGroup', { params: { accountId: TWO, groupId: id } })).status).toBe(404);
  });

  it('an account is one however its id is spelled (case, hyphens)', async () => {
    expect((await createGroup(ONE, 'Spelled')).status).toBe(201);
    const other = ONE.replaceAll('-', '').toUpperCase();
    expect((await createGroup(other, 'Spelled')).status).toBe(409);
  });

  it("a contact of another account neither joins an account's group nor is listed as its member", async () => {
    const group = (await createGroup(ONE, 'Members')).json as { id: number };
    const contact = (
      await client.call('8x8', 'createContact', {
        params: { accountId: TWO },
        body: { firstName: 'Ada', addresses: { msisdn: '+6590000077' }, groups: [{ id: group.id }] },
      })
    ).json as { id: number; groups?: unknown };
    expect(contact.groups).toBeUndefined();
    const added = await client.call('8x8', 'addContactsToGroup', {
      params: { accountId: ONE, groupId: String(group.id) },
      body: { contacts: [contact.id] },
    });
    expect((added.json as { contacts: number }).contacts).toBe(0);
    const listed = await client.call('8x8', 'searchContacts', {
      params: { accountId: TWO },
      query: `groupId=${group.id}`,
    });
    expect((listed.json as { items: unknown[] }).items).toEqual([]);
  });
});

describe('a path parameter that names no parent (a version)', () => {
  it('leaves records where every version sees them', async () => {
    const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/version-prefix.yaml'] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const created = await fetch(`${base}/v1/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a' }),
      });
      const { id } = (await created.json()) as { id: number };
      expect((await fetch(`${base}/v2/contacts/${id}`)).status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});

describe("a record's field naming its parent", () => {
  it('is the parent its path named, in the create, the read and the list', async () => {
    const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/parent-field.yaml'] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const post = async (path: string, body: unknown) =>
        (await (
          await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json()) as Record<string, string>;
      const conversation = await post('/conversations', {});
      const message = await post(`/conversations/${conversation.sid}/messages`, { body: 'hi' });
      expect(message.conversation_sid).toBe(conversation.sid);
      const read = await fetch(`${base}/conversations/${conversation.sid}/messages/${message.sid}`);
      expect(((await read.json()) as Record<string, string>).conversation_sid).toBe(conversation.sid);
      const list = await fetch(`${base}/conversations/${conversation.sid}/messages`);
      const { messages } = (await list.json()) as { messages: Record<string, string>[] };
      expect(messages.map((m) => m.conversation_sid)).toEqual([conversation.sid]);
    } finally {
      await mock.close();
    }
  });
});

describe('a nested collection whose paths name the parent differently (`{contactId}`, `{contact_id}`)', () => {
  it('is one collection: a note made through one path is read through the other, under its own parent only', async () => {
    const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/renamed-parent.yaml'] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const made = await fetch(`${base}/contacts/5/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'hello' }),
      });
      const { id } = (await made.json()) as { id: number };
      expect(await (await fetch(`${base}/contacts/5/notes/${id}`)).json()).toMatchObject({ id, body: 'hello' });
      expect((await fetch(`${base}/contacts/6/notes/${id}`)).status).toBe(404);
    } finally {
      await mock.close();
    }
  });
});

describe('parents that must be stored, under their own parents', () => {
  const post = async (base: string, path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a project under another org is not found, nor are its tasks (/orgs/{o}/projects/{p}/tasks)', async () => {
    const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/nested-deep.yaml'] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const one = (await (await post(base, '/orgs', { name: 'one' })).json()) as { id: string };
      const two = (await (await post(base, '/orgs', { name: 'two' })).json()) as { id: string };
      const project = (await (await post(base, `/orgs/${one.id}/projects`, { name: 'p' })).json()) as { id: string };
      expect((await fetch(`${base}/orgs/${one.id}/projects/${project.id}/tasks`)).status).toBe(200);
      expect((await fetch(`${base}/orgs/${two.id}/projects/${project.id}/tasks`)).status).toBe(404);
      expect((await post(base, `/orgs/${two.id}/projects/${project.id}/tasks`, { name: 't' })).status).toBe(404);
    } finally {
      await mock.close();
    }
  });

  it('a UUID parent or record is found in either case', async () => {
    const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/nested-uuid.yaml'] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const contact = (await (await post(base, '/contacts', { name: 'Ada' })).json()) as { id: string };
      expect((await fetch(`${base}/contacts/${contact.id.toUpperCase()}/notes`)).status).toBe(200);
      expect((await fetch(`${base}/contacts/${contact.id.toUpperCase()}`)).status).toBe(200);
    } finally {
      await mock.close();
    }
  });
});
