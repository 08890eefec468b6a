/**
 * With generated data (`--dynamic`), a created record holds only fields its schema declares: the
 * keys the generator invents where a schema leaves properties open are no server's fields.
 */
import { expect, it } from 'vitest';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false, dynamic: true });

it('Easify contact made from generated data: only the Contact schema fields, the values sent', async () => {
  const declared = [
    'id',
    'group_name',
    'first_name',
    'last_name',
    'phone_number',
    'email_address',
    'company',
    'additional_1',
    'additional_2',
    'additional_3',
    'shared_contact',
    'created_at',
    'updated_at',
  ];
  for (let i = 0; i < 3; i++) {
    const answer = await mock.client.call('easify', 'createContact', {
      body: { group_id: 1, first_name: `Ann${i}`, email_address: `ann${i}@example.com` },
    });
    expect(answer.status).toBe(200);
    const contact = (answer.json as { data: Record<string, unknown> }).data;
    expect(contact.first_name).toBe(`Ann${i}`);
    expect(Object.keys(contact).filter((key) => !declared.includes(key))).toEqual([]);
    const stored = (await mock.client.state()).easify!.contacts!.find((c) => c.id === contact.id)!;
    expect(Object.keys(stored).filter((key) => !declared.includes(key) && key !== 'group_id')).toEqual([]);
  }
});
