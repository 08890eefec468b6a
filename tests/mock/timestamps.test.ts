/**
 * The times a record carries (`x-resource.timestamps`) are the mock's clock, not the example's: set
 * when a record is made, the `updated` one again on every write, in each API's own format. The clock
 * is injected: nothing here depends on when or how fast it runs.
 */
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../mocks/state/timestamps.js';
import { mockPerFile } from './support/mock-per-file.js';

let now = Date.UTC(2024, 11, 2, 15, 4, 5);
const mock = mockPerFile({ rateLimit: false, clock: () => now });
const later = (): void => {
  now += 3_600_000;
};

describe('formatTime', () => {
  it('writes RFC 3339, Unix seconds as a number or text, and a pattern in UTC, with 12 AM and 12 PM', () => {
    const noon = Date.UTC(2024, 1, 12, 12, 0, 9);
    expect(formatTime(noon, 'date-time')).toBe('2024-02-12T12:00:09.000Z');
    expect(formatTime(noon, 'unix')).toBe(noon / 1000);
    expect(formatTime(noon, 'unix-text')).toBe(String(noon / 1000));
    expect(formatTime(noon, 'MM-DD-YYYY hh:mm:ss A')).toBe('02-12-2024 12:00:09 PM');
    expect(formatTime(Date.UTC(2024, 1, 12, 0, 30, 0), 'MM-DD-YYYY hh:mm:ss A')).toBe('02-12-2024 12:30:00 AM');
    expect(formatTime(Date.UTC(2024, 1, 12, 23, 5, 1), 'YYYY/DD/MM HH.mm.ss')).toBe('2024/12/02 23.05.01');
  });
});

describe("a record's times follow the clock", () => {
  it('Eloqua: createdAt and updatedAt at the create, updatedAt again at the PUT, both new on a copy', async () => {
    const created = (await mock.client.call('eloqua', 'createContactSegment', { body: { name: 'Timed' } })).json as {
      id: string;
      createdAt: string;
      updatedAt: string;
    };
    const made = String(now / 1000);
    expect(created).toMatchObject({ createdAt: made, updatedAt: made });
    later();
    const params = { id: created.id };
    const put = await mock.client.call('eloqua', 'updateContactSegment', { params, body: { name: 'Timed again' } });
    expect(put.json).toMatchObject({ createdAt: made, updatedAt: String(now / 1000) });
    expect((await mock.client.call('eloqua', 'getContactSegment', { params })).json).toMatchObject({
      createdAt: made,
      updatedAt: String(now / 1000),
    });
    later();
    const copy = await mock.client.call('eloqua', 'copyContactSegment', { params, body: { name: 'Timed copy' } });
    expect(copy.json).toMatchObject({ createdAt: String(now / 1000), updatedAt: String(now / 1000) });
  });

  it("Easify: created_at and updated_at in the pages' format, updated_at again at an update", async () => {
    const contact = (
      (
        await mock.client.call('easify', 'createContact', {
          body: { group_id: 1, first_name: 'Tim', email_address: 'tim@example.com' },
        })
      ).json as { data: { id: number; created_at: string; updated_at: string } }
    ).data;
    const made = formatTime(now, 'MM-DD-YYYY hh:mm:ss A');
    expect(contact).toMatchObject({ created_at: made, updated_at: made });
    expect(made).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2} [AP]M$/);
    later();
    const updated = await mock.client.call('easify', 'updateContact', {
      body: { contact_id: contact.id, first_name: 'Timo', email_address: 'tim@example.com' },
    });
    expect((updated.json as { data: object }).data).toMatchObject({
      created_at: made,
      updated_at: formatTime(now, 'MM-DD-YYYY hh:mm:ss A'),
    });
  });

  it('8x8: a group and a contact are created at the clock’s time, not the example’s', async () => {
    const group = await mock.client.call('8x8', 'createGroup', { body: { name: 'Timed' } });
    expect(group.json).toMatchObject({ createdAt: new Date(now).toISOString() });
    const contact = await mock.client.call('8x8', 'createContact', {
      body: { firstName: 'Tim', addresses: { email: 'tim@example.com' } },
    });
    expect(contact.json).toMatchObject({ createdAt: new Date(now).toISOString() });
  });
});
