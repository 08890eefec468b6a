/**
 * A JSON Patch update (`x-resource.patch: json-patch`) as 8x8 documents it: the vendor's own
 * examples do what they say (its `/isblacklist` with the text "true" marks the group, through
 * `patchNames` and `patchValues`), a patch that would leave a record the schema refuses is the
 * documented 400 and changes nothing, and a patch is applied whole or not at all. Every answer is
 * also checked against the spec by the client.
 */
import { describe, expect, it } from 'vitest';
import { converted } from '../../mocks/state/resources.js';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });

const createGroup = async (name: string) => {
  const answer = await mock.client.call('8x8', 'createGroup', { body: { name } });
  expect(answer.status).toBe(201);
  return answer.json as { id: number; isBlacklist: boolean };
};
const patchGroup = (id: number, operations: unknown[]) =>
  mock.client.call('8x8', 'updateGroup', { params: { groupId: String(id) }, body: operations });
const createContact = async (addresses: Record<string, string>) => {
  const answer = await mock.client.call('8x8', 'createContact', { body: { firstName: 'Cy', addresses } });
  expect(answer.status).toBe(201);
  return answer.json as { id: number };
};
const patchContact = (id: number, operations: unknown[]) =>
  mock.client.call('8x8', 'updateContact', { params: { contactId: String(id) }, body: operations });
const readContact = async (id: number) =>
  (await mock.client.call('8x8', 'getContact', { params: { contactId: String(id) } })).json;

describe("8x8's JSON Patch", () => {
  it("8x8's example marks a group as a blacklist: /isblacklist and the text 'true' reach isBlacklist", async () => {
    const group = await createGroup('Team');
    expect(group.isBlacklist).toBe(false);
    const marked = await patchGroup(group.id, [{ op: 'replace', path: '/isblacklist', value: 'true' }]);
    expect(marked.status).toBe(200);
    expect(marked.json).toMatchObject({ isBlacklist: true, name: 'Team' });
    expect(marked.json).not.toHaveProperty('isblacklist');
    const read = await mock.client.call('8x8', 'getGroup', { params: { groupId: String(group.id) } });
    expect(read.json).toMatchObject({ isBlacklist: true });
    // Text the member's type cannot read stays text, and a boolean refuses it.
    const refused = await patchGroup(group.id, [{ op: 'replace', path: '/isBlacklist', value: 'maybe' }]);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ message: 'isBlacklist must be boolean' });
  });

  it('a patch leaving an address the schema refuses, or none at all, is the 400; the contact is unchanged', async () => {
    const contact = await createContact({ email: 'cy@example.com' });
    const before = await readContact(contact.id);
    const badNumber = await patchContact(contact.id, [{ op: 'add', path: '/addresses/msisdn', value: 'abc' }]);
    expect(badNumber.status).toBe(400);
    expect((badNumber.json as { message: string }).message).toContain('addresses.msisdn must match pattern');
    const noAddress = await patchContact(contact.id, [{ op: 'remove', path: '/addresses/email' }]);
    expect(noAddress.status).toBe(400);
    expect((noAddress.json as { message: string }).message).toContain('addresses needs at least one of msisdn');
    expect(await readContact(contact.id)).toEqual(before);
    // The same removal beside a new number leaves a valid contact: the whole patch is judged.
    const swapped = await patchContact(contact.id, [
      { op: 'add', path: '/addresses/msisdn', value: '+6591234567' },
      { op: 'remove', path: '/addresses/email' },
    ]);
    expect(swapped.status).toBe(200);
    expect(swapped.json).toMatchObject({ addresses: { msisdn: '+6591234567' } });
    expect((swapped.json as { addresses: object }).addresses).not.toHaveProperty('email');
  });

  it('an operation that cannot apply refuses the whole patch, naming which one', async () => {
    const contact = await createContact({ email: 'cy@example.com' });
    const answer = await patchContact(contact.id, [
      { op: 'replace', path: '/firstname', value: 'Cyd' },
      { op: 'remove', path: '/nothere' },
    ]);
    expect(answer.status).toBe(400);
    expect((answer.json as { message: string }).message).toBe(
      'The patch cannot be applied: operation 2: Cannot perform the operation at a path that does not exist',
    );
    expect(await readContact(contact.id)).toMatchObject({ firstName: 'Cy' });
    // Alone, the first operation applies: `/firstname` is firstName, replaced.
    const renamed = await patchContact(contact.id, [{ op: 'replace', path: '/firstname', value: 'Cyd' }]);
    expect(renamed.json).toMatchObject({ firstName: 'Cyd' });
    expect(renamed.json).not.toHaveProperty('firstname');
    // A member the contact does not hold yet is added by replace, as a forgiving server does.
    const named = await patchContact(contact.id, [{ op: 'replace', path: '/lastName', value: 'Black' }]);
    expect(named.json).toMatchObject({ firstName: 'Cyd', lastName: 'Black' });
  });

  it("a group's contacts count is the members': a patch cannot set it", async () => {
    const group = await createGroup('Counted');
    await mock.client.call('8x8', 'createContact', {
      body: { firstName: 'Cy', addresses: { email: 'counted@example.com' }, groups: [{ id: group.id }] },
    });
    const patched = await patchGroup(group.id, [{ op: 'replace', path: '/contacts', value: '7' }]);
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ contacts: 1 });
    const read = await mock.client.call('8x8', 'getGroup', { params: { groupId: String(group.id) } });
    expect(read.json).toMatchObject({ contacts: 1 });
  });
});

describe('converted', () => {
  it('reads text as the type of the member: booleans, decimal numbers, null; anything else stays text', () => {
    expect(converted('true', { type: 'boolean' })).toBe(true);
    expect(converted('FALSE', { type: 'boolean' })).toBe(false);
    expect(converted('42', { type: 'integer' })).toBe(42);
    expect(converted('4.5e1', { type: 'number' })).toBe(45);
    expect(converted('0x10', { type: 'number' })).toBe('0x10');
    expect(converted('7', { type: ['string', 'integer'] })).toBe('7');
    // OpenAPI 3.1's nullable: the alternatives' types count.
    const nullable = { anyOf: [{ type: 'integer' }, { type: 'null' }] };
    expect(converted('42', nullable)).toBe(42);
    expect(converted('null', nullable)).toBe(null);
    expect(converted('maybe', { type: 'boolean' })).toBe('maybe');
  });
});
