/**
 * How much of a record a read or a list shows (`x-resource.views`, Eloqua's `depth`): the list's
 * items are minimal unless asked otherwise, a read is complete unless asked otherwise, a value that
 * names no depth is the default, and each record says which depth it is shown at. Every answer is
 * also checked against the spec by the client.
 */
import { describe, expect, it } from 'vitest';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });
const MINIMAL = ['createdAt', 'createdBy', 'depth', 'id', 'name', 'type', 'updatedAt', 'updatedBy'];

describe("Eloqua's depth", () => {
  it('a list is minimal by default and for an unknown depth; complete when asked', async () => {
    await mock.client.call('eloqua', 'createContactSegment', { body: { name: 'Deep' } });
    const items = async (query: string) =>
      ((await mock.client.call('eloqua', 'listContactSegments', { query })).json as { elements: object[] }).elements;
    for (const query of ['', 'depth=minimal', 'depth=shallow']) {
      const [item] = await items(query);
      expect(Object.keys(item!).sort(), query).toEqual(MINIMAL);
      expect(item).toMatchObject({ depth: 'minimal', name: 'Deep' });
    }
    const [complete] = await items('depth=complete');
    expect(complete).toMatchObject({ depth: 'complete', name: 'Deep', elements: [], count: expect.any(String) });
  });

  it('a read is complete by default and for an unknown depth; minimal when asked', async () => {
    const created = (await mock.client.call('eloqua', 'createContactSegment', { body: { name: 'Read' } })).json as {
      id: string;
    };
    const read = async (query: string) =>
      (await mock.client.call('eloqua', 'getContactSegment', { params: { id: created.id }, query })).json as Record<
        string,
        unknown
      >;
    for (const query of ['', 'depth=complete', 'depth=everything']) {
      expect(await read(query), query).toMatchObject({ depth: 'complete', permissions: expect.any(Array) });
    }
    const minimal = await read('depth=minimal');
    expect(Object.keys(minimal).sort()).toEqual(MINIMAL);
    expect((await read('depth=partial')).depth).toBe('partial');
  });
});
