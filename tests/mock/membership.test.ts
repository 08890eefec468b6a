/**
 * Membership kept in one place (`x-resource.related` `memberOf`, the groups' add-members and
 * remove-members): 8x8's group `contacts` count and a contact's `groups` agree, whichever way a
 * contact joined (its create's `groups`, or the group's add-members) or left (remove-members, or the
 * contact deleted). Every answer is also checked against the spec by the client.
 */
import { describe, expect, it } from 'vitest';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });

interface Group {
  id: number;
  name: string;
  contacts: number;
}
interface Contact {
  id: number;
  groups?: Group[];
}

let phone = 0;
const createGroup = async (name: string): Promise<Group> =>
  (await mock.client.call('8x8', 'createGroup', { body: { name } })).json as Group;
const createContact = async (groups?: number[]): Promise<Contact> => {
  phone++;
  const answer = await mock.client.call('8x8', 'createContact', {
    body: {
      firstName: 'Ada',
      addresses: { msisdn: `+65900000${String(phone).padStart(2, '0')}` },
      ...(groups ? { groups: groups.map((id) => ({ id })) } : {}),
    },
  });
  expect(answer.status).toBe(201);
  return answer.json as Contact;
};
const group = async (id: number): Promise<Group> =>
  (await mock.client.call('8x8', 'getGroup', { params: { groupId: String(id) } })).json as Group;
const contact = async (id: number): Promise<Contact> =>
  (await mock.client.call('8x8', 'getContact', { params: { contactId: String(id) } })).json as Contact;
const members = (operationId: string, groupId: number, contacts: number[]) =>
  mock.client.call('8x8', operationId, { params: { groupId: String(groupId) }, body: { contacts } });

describe("8x8: a group's contacts and a contact's groups agree", () => {
  it('a contact created in groups is counted by them and lists them, with their counts', async () => {
    const team = await createGroup('Team');
    const crew = await createGroup('Crew');
    const created = await createContact([team.id, crew.id]);
    expect(created.groups?.map((g) => [g.id, g.name, g.contacts])).toEqual([
      [team.id, 'Team', 1],
      [crew.id, 'Crew', 1],
    ]);
    expect((await group(team.id)).contacts).toBe(1);
    expect((await contact(created.id)).groups?.map((g) => g.id)).toEqual([team.id, crew.id]);
  });

  it('add-members and remove-members show on the contact; without a group it has no groups field', async () => {
    const team = await createGroup('Team');
    const ada = await createContact();
    expect(ada).not.toHaveProperty('groups');
    expect((await members('addContactsToGroup', team.id, [ada.id])).json).toMatchObject({ contacts: 1 });
    expect((await contact(ada.id)).groups?.map((g) => [g.id, g.contacts])).toEqual([[team.id, 1]]);
    expect((await members('removeContactsFromGroup', team.id, [ada.id])).json).toMatchObject({ contacts: 0 });
    expect(await contact(ada.id)).not.toHaveProperty('groups');
  });

  it("the contacts search's groupId lists the group's members, however they joined", async () => {
    const team = await createGroup('Team');
    const ada = await createContact([team.id]);
    const bob = await createContact();
    await createContact();
    await members('addContactsToGroup', team.id, [bob.id]);
    const search = async (query: string) =>
      ((await mock.client.call('8x8', 'searchContacts', { query })).json as { items: Contact[]; totalFiltered: number })
        .items;
    expect((await search(`groupId=${team.id}&limit=50`)).map((c) => c.id)).toEqual([ada.id, bob.id]);
    expect(await search('groupId=999999&limit=50')).toEqual([]);
    expect((await search('limit=50')).length).toBe(3);
  });

  it('a deleted group leaves its members; a merge joins the groups it names; the state keeps no copy', async () => {
    const team = await createGroup('Team');
    const crew = await createGroup('Crew');
    const ada = await createContact([team.id]);
    const gone = await mock.client.call('8x8', 'deleteGroup', { params: { groupId: String(team.id) } });
    expect(gone.status).toBeLessThan(300);
    expect(await contact(ada.id)).not.toHaveProperty('groups');
    // The same address again is 8x8's merge: the stored contact, now also in the group the merge names.
    const merged = await mock.client.call('8x8', 'createContact', {
      body: {
        firstName: 'Ada',
        addresses: { msisdn: `+65900000${String(phone).padStart(2, '0')}` },
        groups: [{ id: crew.id }],
      },
    });
    expect(merged.status).toBe(200);
    expect((merged.json as Contact).groups?.map((g) => [g.id, g.contacts])).toEqual([[crew.id, 1]]);
    // Who is in which group is the groups' to say: the stored contact holds no list of them to go stale.
    const state = (await mock.client.state())['8x8']!.contacts!.find((c) => c.id === ada.id);
    expect(state).not.toHaveProperty('groups');
  });

  it('a deleted contact leaves its groups: their counts drop', async () => {
    const team = await createGroup('Team');
    const ada = await createContact([team.id]);
    const bob = await createContact();
    await members('addContactsToGroup', team.id, [bob.id]);
    expect((await group(team.id)).contacts).toBe(2);
    for (const gone of [bob, ada]) {
      const answer = await mock.client.call('8x8', 'deleteContact', { params: { contactId: String(gone.id) } });
      expect(answer.status).toBeLessThan(300);
    }
    expect((await group(team.id)).contacts).toBe(0);
  });

  it("a JSON Patch removing a contact's group leaves it, counts and search following", async () => {
    const team = await createGroup('Team');
    const crew = await createGroup('Crew');
    const ada = await createContact([team.id, crew.id]);
    const patch = (operations: unknown[]) =>
      mock.client.call('8x8', 'updateContact', { params: { contactId: String(ada.id) }, body: operations });
    const left = await patch([{ op: 'remove', path: '/groups/0' }]);
    expect(left.status).toBe(200);
    expect((left.json as Contact).groups?.map((g) => [g.id, g.contacts])).toEqual([[crew.id, 1]]);
    expect((await group(team.id)).contacts).toBe(0);
    const search = await mock.client.call('8x8', 'searchContacts', { query: `groupId=${team.id}` });
    expect((search.json as { items: Contact[] }).items).toEqual([]);
    // A patch that leaves the groups alone leaves the memberships alone.
    const renamed = await patch([{ op: 'replace', path: '/firstName', value: 'Ida' }]);
    expect((renamed.json as Contact).groups?.map((g) => g.id)).toEqual([crew.id]);
    expect((await contact(ada.id)).groups?.map((g) => g.id)).toEqual([crew.id]);
    expect((await patch([{ op: 'remove', path: '/groups' }])).json).not.toHaveProperty('groups');
    expect((await group(crew.id)).contacts).toBe(0);
  });

  it("a JSON Patch naming another group's id (text, converted) moves the contact; an unknown id is dropped", async () => {
    const team = await createGroup('Team');
    const crew = await createGroup('Crew');
    const ada = await createContact([team.id]);
    const patch = (operations: unknown[]) =>
      mock.client.call('8x8', 'updateContact', { params: { contactId: String(ada.id) }, body: operations });
    const moved = await patch([{ op: 'replace', path: '/groups/0/id', value: String(crew.id) }]);
    expect((moved.json as Contact).groups?.map((g) => [g.id, g.contacts])).toEqual([[crew.id, 1]]);
    expect((await group(team.id)).contacts).toBe(0);
    const unknown = await patch([{ op: 'replace', path: '/groups/0/id', value: '999999' }]);
    expect(unknown.status).toBe(200);
    expect(unknown.json).not.toHaveProperty('groups');
    expect((await group(crew.id)).contacts).toBe(0);
  });
});
