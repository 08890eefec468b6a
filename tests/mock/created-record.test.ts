/**
 * What a created record holds besides what the request sent: the server's own fields from the
 * documented record (ids, timestamps, counts, read-only ones), the schema's defaults and the empty
 * values the example shows, null for a required field that allows it, and never an example value of
 * a field the client could have sent and did not. Every answer is also checked against the spec.
 */
import { describe, expect, it } from 'vitest';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });

const created = async (api: string, operationId: string, body: unknown, at = ''): Promise<Record<string, unknown>> => {
  const answer = await mock.client.call(api, operationId, { body });
  expect(answer.status).toBeLessThan(300);
  const json = answer.json as Record<string, unknown>;
  return (at ? json[at] : json) as Record<string, unknown>;
};

describe('a created record holds what was sent and what the server fills, not the example', () => {
  it('8x8 group: the request default for isBlacklist, the server fields, no example description', async () => {
    const group = await created('8x8', 'createGroup', { name: 'Team A' });
    expect(Object.keys(group).sort()).toEqual(['contacts', 'createdAt', 'id', 'isBlacklist', 'name']);
    expect(group).toMatchObject({ name: 'Team A', isBlacklist: false, contacts: 0 });
  });

  it("8x8 contact: the example's empty customAttributes, none of its sample externalId or country", async () => {
    const contact = await created('8x8', 'createContact', {
      firstName: 'Ada',
      addresses: { email: 'ada@example.com' },
    });
    expect(contact).not.toHaveProperty('externalId');
    expect(contact).not.toHaveProperty('country');
    expect(contact).not.toHaveProperty('lastName');
    expect(contact).toMatchObject({ firstName: 'Ada', addresses: { email: 'ada@example.com' }, customAttributes: {} });
    // What the state keeps is what a later read shows.
    const read = await mock.client.call('8x8', 'getContact', { params: { contactId: String(contact.id) } });
    expect(read.json).toEqual(contact);
  });

  it('Easify contact: a required value that was not sent is null, the server fields are kept', async () => {
    const contact = await created(
      'easify',
      'createContact',
      { group_id: 1, first_name: 'Ann', email_address: 'ann@example.com' },
      'data',
    );
    expect(contact).toMatchObject({
      first_name: 'Ann',
      email_address: 'ann@example.com',
      last_name: null,
      phone_number: null,
      company: null,
      shared_contact: false,
    });
    expect(typeof contact.created_at).toBe('string');
  });

  it('Eloqua segment: read-only fields from the server, no example description, the empty elements', async () => {
    const segment = await created('eloqua', 'createContactSegment', { name: 'Newsletter' });
    expect(segment).toMatchObject({ type: 'ContactSegment', name: 'Newsletter' });
    expect(segment).toHaveProperty('createdAt');
    expect(segment).toHaveProperty('folderId');
    expect(segment).not.toHaveProperty('description');
    expect(segment.elements).toEqual([]);
  });

  it('Eloqua segment: read-only fields a client sends on create or copy are not kept; a later read agrees', async () => {
    const sent = { name: 'Beta', type: 'X', folderId: '5', createdAt: '1' };
    const segment = await created('eloqua', 'createContactSegment', sent);
    expect(segment).toMatchObject({ type: 'ContactSegment', name: 'Beta' });
    expect(segment.folderId).not.toBe('5');
    const id = String(segment.id);
    const read = await mock.client.call('eloqua', 'getContactSegment', { params: { id } });
    expect(read.json).toEqual(segment);
    const copy = await mock.client.call('eloqua', 'copyContactSegment', {
      params: { id },
      body: { name: 'Beta copy', folderId: '77', updatedBy: '99' },
    });
    expect(copy.status).toBeLessThan(300);
    expect(copy.json).toMatchObject({ name: 'Beta copy', folderId: segment.folderId });
    expect(copy.json).not.toMatchObject({ updatedBy: '99' });
  });

  it("Easify contact: the phone number is kept with its country code in front, as the vendor's list shows it", async () => {
    const contact = await created(
      'easify',
      'createContact',
      { group_id: 1, first_name: 'Ph', phone_number: '7736381234', country_code: '+1' },
      'data',
    );
    expect(contact.phone_number).toBe('+17736381234');
    const update = (phone: string, code: string) =>
      mock.client.call('easify', 'updateContact', {
        body: { contact_id: contact.id, first_name: 'Ph', phone_number: phone, country_code: code },
      });
    expect(((await update('501234567', '+972')).json as { data: object }).data).toMatchObject({
      phone_number: '+972501234567',
    });
    // A national number that starts with the code's digits is still given the code.
    expect(((await update('1234567890', '1')).json as { data: object }).data).toMatchObject({
      phone_number: '11234567890',
    });
    await update('501234567', '+972');
    const listed = (await mock.client.call('easify', 'listContacts')).json as {
      data: { id: number; phone_number: string }[];
    };
    expect(listed.data.find((c) => c.id === contact.id)?.phone_number).toBe('+972501234567');
  });
});
