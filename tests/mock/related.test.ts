/**
 * Fields one collection decides for another (`x-resource.related`) and a list filtered on a field the
 * records keep but do not show: Easify's group `contacts_count`, a contact's `group_name`, and the
 * contacts list's `group_id`. Every answer is also checked against the spec by the client.
 */
import { describe, expect, it } from 'vitest';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });

interface Group {
  id: number;
  name: string;
  contacts_count: number;
}
interface Contact {
  id: number;
  group_name: string;
  first_name: string;
}

const createGroup = async (name: string): Promise<Group> =>
  ((await mock.client.call('easify', 'createContactGroup', { body: { name } })).json as { data: Group }).data;

const createContact = async (groupId: number, firstName: string): Promise<Contact> => {
  const answer = await mock.client.call('easify', 'createContact', {
    body: { group_id: groupId, first_name: firstName, email_address: `${firstName}@example.com` },
  });
  expect(answer.status).toBe(200);
  return (answer.json as { data: Contact }).data;
};

const groups = async (): Promise<Map<number, Group>> => {
  const { data } = (await mock.client.call('easify', 'listContactGroups', { query: 'limit=100' })).json as {
    data: Group[];
  };
  return new Map(data.map((group) => [group.id, group]));
};

const contacts = async (query: string): Promise<Contact[]> =>
  ((await mock.client.call('easify', 'listContacts', { query })).json as { data: Contact[] }).data;

describe('Easify: what groups and contacts say of each other follows the store', () => {
  it("a group's contacts_count counts the contacts created in it, and drops when one is deleted", async () => {
    const team = await createGroup('Team');
    expect(team.contacts_count).toBe(0);
    const ann = await createContact(team.id, 'Ann');
    await createContact(team.id, 'Bob');
    await createContact(1, 'Cy');
    let listed = await groups();
    expect(listed.get(team.id)?.contacts_count).toBe(2);
    expect(listed.get(1)?.contacts_count).toBe(1);

    const deleted = await mock.client.call('easify', 'deleteContact', { body: { contact_id: ann.id } });
    expect(deleted.status).toBe(200);
    listed = await groups();
    expect(listed.get(team.id)?.contacts_count).toBe(1);
    const renamed = await mock.client.call('easify', 'updateContactGroup', {
      query: `group_id=${team.id}&name=Crew`,
    });
    expect((renamed.json as { data: Group }).data).toMatchObject({ name: 'Crew', contacts_count: 1 });
  });

  it("a contact's group_name is its group's name, now: in the create's answer, the list and after a rename", async () => {
    const team = await createGroup('Team');
    expect((await createContact(team.id, 'Ann')).group_name).toBe('Team');
    await mock.client.call('easify', 'updateContactGroup', { query: `group_id=${team.id}&name=Crew` });
    expect((await contacts(`group_id=${team.id}`)).map((contact) => contact.group_name)).toEqual(['Crew']);
  });

  it('the contacts list keeps to the group_id asked, and lists every contact without one', async () => {
    const team = await createGroup('Team');
    const other = await createGroup('Other');
    await createContact(team.id, 'Ann');
    await createContact(other.id, 'Bob');
    await createContact(team.id, 'Cy');
    expect((await contacts(`group_id=${team.id}&limit=50`)).map((c) => c.first_name).sort()).toEqual(['Ann', 'Cy']);
    expect((await contacts(`group_id=${other.id}&limit=50`)).map((c) => c.first_name)).toEqual(['Bob']);
    expect((await contacts('limit=50')).map((c) => c.first_name).sort()).toEqual(['Ann', 'Bob', 'Cy']);
  });

  it('a contact in a group that is not stored is refused, as Laravel refuses an id no row has', async () => {
    const answer = await mock.client.call('easify', 'createContact', {
      body: { group_id: 99999, first_name: 'Ann', email_address: 'ann@example.com' },
    });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({ errors: { group_id: [expect.stringContaining('99999')] } });
    expect(await contacts('limit=50')).toEqual([]);
    // So a group made later starts empty, as Easify's create shows it.
    expect((await createGroup('Later')).contacts_count).toBe(0);
  });

  it('a contact whose group is deleted keeps the name it had; its other changes are not refused', async () => {
    const team = await createGroup('Team');
    const ann = await createContact(team.id, 'Ann');
    const gone = await mock.client.call('easify', 'deleteContactGroup', { query: `group_id=${team.id}` });
    expect(gone.status).toBe(200);
    expect((await contacts('limit=50')).map((c) => c.group_name)).toEqual(['Team']);
    const renamed = await mock.client.call('easify', 'updateContact', {
      body: { contact_id: ann.id, first_name: 'Anne', email_address: 'anne@example.com' },
    });
    expect(renamed.status).toBe(200);
    expect((renamed.json as { data: Contact }).data).toMatchObject({ first_name: 'Anne', group_name: 'Team' });
  });

  it("an update's undeclared group_id is ignored: the contact stays in its group", async () => {
    const team = await createGroup('Team');
    const ann = await createContact(team.id, 'Ann');
    // Easify's update documents no group_id: a server binding the body to its fields drops it.
    const moved = await mock.client.call('easify', 'updateContact', {
      body: { contact_id: ann.id, first_name: 'Ann', email_address: 'ann@example.com', group_id: 1 },
    });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ data: { group_name: 'Team' } });
    expect((await groups()).get(team.id)?.contacts_count).toBe(1);
  });
});
