/**
 * Error messages in the vendor's own sentences where its spec gives them (`x-error-body.messages`):
 * the requested id in 8x8's "Unable to find ..." (never the example's id), Laravel's required and
 * taken-name sentences for Easify; a cause without a sentence keeps the mock's own words. Every
 * answer is also checked against the spec by the client.
 */
import { describe, expect, it } from 'vitest';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });

describe("the vendor's sentences", () => {
  it('8x8: a contact or group not stored is named by the id asked for', async () => {
    const contact = await mock.client.call('8x8', 'getContact', { params: { contactId: '555' } });
    expect(contact.status).toBe(404);
    expect(contact.json).toMatchObject({ code: 1300, message: 'Unable to find contact with id 555' });
    const group = await mock.client.call('8x8', 'getGroup', { params: { groupId: '777' } });
    expect(group.json).toMatchObject({ message: 'Unable to find group with id 777' });
    // 8x8's group delete words it its own way (its example), and so does the mock.
    const deleted = await mock.client.call('8x8', 'deleteGroup', { params: { groupId: '778' } });
    expect(deleted.status).toBe(404);
    expect(deleted.json).toMatchObject({ message: 'Unable to find a group with id 778' });
  });

  it("Easify: Laravel's sentences for a taken and a missing name; an invalid value keeps the mock's words", async () => {
    await mock.client.call('easify', 'createContactGroup', { body: { name: 'VIP' } });
    const taken = await mock.client.call('easify', 'createContactGroup', { body: { name: 'VIP' } });
    expect(taken.json).toEqual({
      message: 'The name has already been taken.',
      errors: { name: ['The name has already been taken.'] },
    });
    const typed = await mock.client.call('easify', 'createContactGroup', { body: { name: 5 } });
    expect(typed.json).toEqual({ message: 'name must be string', errors: { name: ['name must be string'] } });
  });

  it("Easify: a body that cannot be read is Laravel's 422 naming why, not the 400 of an unknown id", async () => {
    const unreadable = await mock.client.call('easify', 'updateContact', { raw: '{"contact_id":' });
    expect(unreadable.status).toBe(422);
    expect(unreadable.json).toMatchObject({ message: expect.stringContaining('not valid JSON') });
    const plain = await mock.client.call('easify', 'deleteContact', {
      raw: '{"contact_id":2}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(422);
    expect(plain.json).toMatchObject({ message: expect.stringContaining('Content-Type text/plain is not supported') });
    // The 400 still answers what it documents: an id that names no contact.
    const unknown = await mock.client.call('easify', 'deleteContact', { body: { contact_id: 99999 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ status: false, message: 'Invalid contact id', errors: [] });
  });

  it('8x8: a malformed id in the path, where no 400 is documented, is the 404, never the 401 about credentials', async () => {
    const answer = await mock.client.call('8x8', 'getGroup', { params: { groupId: 'abc' } });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ code: 1300, message: 'groupId must be integer' });
  });

  it("8x8: a 400's code is the example's for that field (1002 an MSISDN), else the general one (1000)", async () => {
    const limit = await mock.client.call('8x8', 'searchContacts', { query: 'limit=0' });
    expect(limit.status).toBe(400);
    expect(limit.json).toMatchObject({ code: 1000, message: 'limit must be >= 1' });
    const msisdn = await mock.client.call('8x8', 'createContact', {
      body: { firstName: 'Ms', addresses: { msisdn: 'abc' } },
    });
    expect(msisdn.json).toMatchObject({ code: 1002 });
  });
});
