/**
 * Easify's default contact group, as `npm start` serves it: the collection starts with it (the
 * delete's `x-resource.seed`), the list shows it, and deleting it is the vendor's documented 400,
 * however often it is tried and after every reset; other groups delete as usual.
 */
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { MockClient } from './support/mock-client.js';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });

interface Group {
  id: number;
  name: string;
  default_group: boolean;
}

const groups = async (c: MockClient = mock.client): Promise<Group[]> =>
  ((await c.call('easify', 'listContactGroups')).json as { data: Group[] }).data;

const deleteGroup = (id: number, c: MockClient = mock.client) =>
  c.call('easify', 'deleteContactGroup', { query: `group_id=${id}` });

/** The documented refusal: the `default-group` example of the delete's 400, word for word. */
function documentedRefusal(): unknown {
  const response = mock.client.operation('easify', 'deleteContactGroup').responses.find((r) => r.status === '400')!;
  return response.content[0]!.examples.find((e) => e.name === 'default-group')!.value;
}

describe('Easify default contact group', () => {
  it('is the one group of a fresh mock', async () => {
    const list = await groups();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ default_group: true, name: 'Default' });
  });

  it('cannot be deleted: the documented 400, and it stays listed', async () => {
    const [seeded] = await groups();
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await deleteGroup(seeded!.id);
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual(documentedRefusal());
      expect(refused.json).toMatchObject({ message: "You can't delete the default contact group!" });
    }
    expect(await groups()).toEqual([expect.objectContaining({ id: seeded!.id, default_group: true })]);
  });

  it('a created group is not protected: deleted, then an unknown id', async () => {
    const created = await mock.client.call('easify', 'createContactGroup', { body: { name: 'Deletable' } });
    const { id, default_group } = (created.json as { data: Group }).data;
    expect(default_group).toBe(false);
    expect(id).not.toBe((await groups()).find((g) => g.default_group)!.id);
    expect((await deleteGroup(id)).status).toBe(200);
    const again = await deleteGroup(id);
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({ message: 'Invalid group id' });
    expect((await groups()).map((g) => g.name)).toEqual(['Default']);
  });

  it('comes back after a reset, and its name is taken like any other', async () => {
    const duplicate = await mock.client.call('easify', 'createContactGroup', { body: { name: 'Default' } });
    expect(duplicate.status).toBe(422);
    await mock.client.reset();
    expect((await groups()).map((g) => g.default_group)).toEqual([true]);
  });

  it('is protected with --documented-only too (the refusal is the vendor’s own rule)', async () => {
    const documented = await startMock({ port: 0, rateLimit: false, documentedOnly: true });
    try {
      const c = await MockClient.connect(documented);
      const [seeded] = await groups(c);
      expect((await deleteGroup(seeded!.id, c)).json).toEqual(documentedRefusal());
    } finally {
      await documented.close();
    }
  });
});
