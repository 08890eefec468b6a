/**
 * A list's page says where it is from the stored records (`x-resource.paging`): the records before
 * the filters (8x8's totalCount), the items on the page (BigChange's pageItemCount), the number of pages (Easify's last_page, 8x8's totalPages),
 * whether pages follow or precede (8x8), and the positions of its first and last item (Easify's
 * from and to, null on an empty page); and the records come in the order asked (`x-resource.sort`).
 * Every answer is also checked against the spec by the client.
 */
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { pageWindow, sortRecords } from '../../mocks/state/resources.js';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });

describe('the metadata of a page follows the store', () => {
  it('BigChange: pageItemCount is the number of items on the page', async () => {
    for (const name of ['One', 'Two', 'Three'])
      expect((await mock.client.call('bigchange', 'createContactGroup', { body: { name } })).status).toBe(201);
    const page = async (number: number) =>
      (await mock.client.call('bigchange', 'listContactGroups', { query: `pageSize=2&pageNumber=${number}` })).json as {
        items: unknown[];
        pageNumber: number;
        pageItemCount: number;
      };
    expect(await page(1)).toMatchObject({ pageNumber: 1, pageItemCount: 2 });
    expect((await page(1)).items).toHaveLength(2);
    expect(await page(2)).toMatchObject({ pageNumber: 2, pageItemCount: 1 });
    expect(await page(3)).toMatchObject({ items: [], pageNumber: 3, pageItemCount: 0 });
  });

  it('Easify: last_page, from and to, and null positions past the last page', async () => {
    for (const name of ['One', 'Two', 'Three'])
      expect((await mock.client.call('easify', 'createContactGroup', { body: { name } })).status).toBe(200);
    const meta = async (page: number) => {
      const body = (await mock.client.call('easify', 'listContactGroups', { query: `limit=2&page=${page}` })).json as {
        data: unknown[];
        meta: { total: number; last_page: number; from: number | null; to: number | null; current_page: number };
      };
      return { ...body.meta, count: body.data.length };
    };
    const first = await meta(1);
    const total = first.total;
    expect(total).toBeGreaterThanOrEqual(3);
    const lastPage = Math.ceil(total / 2);
    expect(first).toMatchObject({ current_page: 1, last_page: lastPage, from: 1, to: 2, count: 2 });
    const last = await meta(lastPage);
    expect(last).toMatchObject({
      last_page: lastPage,
      from: 2 * lastPage - 1,
      to: total,
      count: total - 2 * (lastPage - 1),
    });
    expect(await meta(lastPage + 1)).toMatchObject({ last_page: lastPage, from: null, to: null, count: 0 });
  });

  it('8x8: page, totalCount, totalPages, hasNextPage and hasPreviousPage', async () => {
    for (const name of ['one', 'two', 'three'])
      expect((await mock.client.call('8x8', 'createGroup', { body: { name } })).status).toBe(201);
    const page = async (offset: number) =>
      (await mock.client.call('8x8', 'searchGroups', { query: `limit=2&offset=${offset}` })).json as {
        items: unknown[];
        page: number;
        totalFiltered: number;
        totalPages: number;
        hasNextPage: boolean;
        hasPreviousPage: boolean;
      };
    const first = await page(0);
    const pages = Math.ceil(first.totalFiltered / 2);
    expect(first.totalFiltered).toBeGreaterThanOrEqual(3);
    // offset is 8x8's page index from 0; the answer's page counts from 1.
    expect(first).toMatchObject({ page: 1, totalPages: pages, hasNextPage: true, hasPreviousPage: false });
    expect(await page(pages - 1)).toMatchObject({
      page: pages,
      totalPages: pages,
      hasNextPage: false,
      hasPreviousPage: true,
    });
    const none = (await mock.client.call('8x8', 'searchGroups', { query: 'limit=2&offset=0&name=no-such-group' })).json;
    // Nothing matches, out of every group stored.
    expect(none).toMatchObject({
      items: [],
      totalCount: first.totalFiltered,
      totalFiltered: 0,
      totalPages: 1,
      hasNextPage: false,
      hasPreviousPage: false,
    });
  });
});

describe('the records a list keeps', () => {
  it('BigChange: an array filter (id=1&id=2) keeps the records matching any of its values', async () => {
    const ids: number[] = [];
    for (const name of ['North', 'South', 'East']) {
      ids.push(
        ((await mock.client.call('bigchange', 'createContactGroup', { body: { name } })).json as { id: number }).id,
      );
    }
    const listed = async (query: string) =>
      ((await mock.client.call('bigchange', 'listContactGroups', { query })).json as { items: { id: number }[] }).items
        .map((group) => group.id)
        .sort();
    expect(await listed(`id=${ids[2]}&id=${ids[0]}`)).toEqual([ids[0], ids[2]]);
    expect(await listed(`id=${ids[1]}`)).toEqual([ids[1]]);
    expect(await listed(`id=${ids[1]}&name=Nor`)).toEqual([]);
  });
});

describe("a page's own URLs", () => {
  interface LaravelPage {
    data: { id: number }[];
    links: { first: string; last: string; prev: string | null; next: string | null };
    meta: { path: string; last_page: number; links: { url: string | null; label: string; active: boolean }[] };
  }
  const list = async (query: string) =>
    (await mock.client.call('easify', 'listContactGroups', { query })).json as LaravelPage;

  it('Easify: links and meta point at the mock, and following next visits every group once', async () => {
    for (let i = 0; i < 12; i++)
      expect((await mock.client.call('easify', 'createContactGroup', { body: { name: `G${i}` } })).status).toBe(200);
    const first = await list('');
    const path = `${mock.client.baseUrl('easify')}/contact-groups`;
    expect(first.meta.path).toBe(path);
    expect(first.links).toEqual({
      first: `${path}?page=1`,
      last: `${path}?page=${first.meta.last_page}`,
      prev: null,
      next: `${path}?page=2`,
    });
    const seen: number[] = first.data.map((group) => group.id);
    let page = first;
    while (page.links.next !== null) {
      const next = new URL(page.links.next);
      expect(`${next.origin}${next.pathname}`).toBe(path);
      page = await list(next.search.slice(1));
      expect(page.links.prev).not.toBeNull();
      seen.push(...page.data.map((group) => group.id));
    }
    expect(page.links.next).toBeNull();
    expect(page.links).toMatchObject({ last: `${path}?page=${first.meta.last_page}` });
    const all = (await list('limit=100')).data.map((group) => group.id);
    expect(all.length).toBeGreaterThan(10);
    expect(seen).toEqual(all);
  });

  it('Easify: a page before the first is the first, as Laravel reads it', async () => {
    for (let i = 0; i < 3; i++)
      expect((await mock.client.call('easify', 'createContactGroup', { body: { name: `G${i}` } })).status).toBe(200);
    const zero = await list('limit=1&page=0');
    const one = await list('limit=1&page=1');
    expect(zero).toEqual(one);
    expect(zero.links.prev).toBeNull();
    expect(zero.meta.links.filter((entry) => entry.active).map((entry) => entry.label)).toEqual(['1']);
  });

  it('Easify: the meta page list, previous and next around the pages, the current one active', async () => {
    for (let i = 0; i < 3; i++)
      expect((await mock.client.call('easify', 'createContactGroup', { body: { name: `G${i}` } })).status).toBe(200);
    const page = await list('limit=2&page=2');
    const pages = page.meta.last_page;
    expect(pages).toBeGreaterThanOrEqual(2);
    const path = page.meta.path;
    expect(page.meta.links).toEqual([
      { url: `${path}?page=1`, label: '&laquo; Previous', active: false },
      ...Array.from({ length: pages }, (_, i) => ({
        url: `${path}?page=${i + 1}`,
        label: String(i + 1),
        active: i === 1,
      })),
      { url: pages > 2 ? `${path}?page=3` : null, label: 'Next &raquo;', active: false },
    ]);
  });
});

describe('pageWindow', () => {
  const gap = undefined;
  it('every page when there are fewer than twice the side plus eight', () => {
    expect(pageWindow(1, 1, 3)).toEqual([1]);
    expect(pageWindow(7, 13, 3)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('near the start, in the middle and near the end of many pages', () => {
    expect(pageWindow(1, 20, 3)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, gap, 19, 20]);
    expect(pageWindow(7, 20, 3)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, gap, 19, 20]);
    expect(pageWindow(8, 20, 3)).toEqual([1, 2, gap, 5, 6, 7, 8, 9, 10, 11, gap, 19, 20]);
    expect(pageWindow(13, 20, 3)).toEqual([1, 2, gap, 10, 11, 12, 13, 14, 15, 16, gap, 19, 20]);
    expect(pageWindow(14, 20, 3)).toEqual([1, 2, gap, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(pageWindow(25, 20, 3)).toEqual([1, 2, gap, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(pageWindow(5, 10, 1)).toEqual([1, 2, 3, 4, 5, 6, gap, 9, 10]);
    expect(pageWindow(6, 12, 1)).toEqual([1, 2, gap, 5, 6, 7, gap, 11, 12]);
  });
});

describe('the order a list asks for', () => {
  const names = (items: unknown[]): unknown[] => items.map((item) => (item as { name?: unknown }).name);

  it('Easify: newest first unless order=asc, on every page', async () => {
    const created: number[] = [];
    for (const name of ['One', 'Two', 'Three']) {
      const answer = await mock.client.call('easify', 'createContactGroup', { body: { name } });
      created.push((answer.json as { data: { id: number } }).data.id);
    }
    const ids = async (query: string) =>
      ((await mock.client.call('easify', 'listContactGroups', { query })).json as { data: { id: number }[] }).data.map(
        (group) => group.id,
      );
    const all = await ids('limit=50');
    expect(all.slice(0, 3)).toEqual([...created].reverse());
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(await ids('limit=50&order=asc')).toEqual([...all].reverse());
    expect(await ids('limit=2&page=1')).toEqual(all.slice(0, 2));
    expect(await ids('limit=2&page=2')).toEqual(all.slice(2, 4));
  });

  it('BigChange: by the field sortBy names, in the direction asked, else as stored', async () => {
    for (const name of ['beta', 'Alpha', 'gamma'])
      expect((await mock.client.call('bigchange', 'createContactGroup', { body: { name } })).status).toBe(201);
    const list = async (query: string) =>
      names(((await mock.client.call('bigchange', 'listContactGroups', { query })).json as { items: unknown[] }).items);
    expect(await list('pageSize=10')).toEqual(['beta', 'Alpha', 'gamma']);
    expect(await list('pageSize=10&sortBy=name')).toEqual(['Alpha', 'beta', 'gamma']);
    expect(await list('pageSize=10&sortBy=name&direction=descending')).toEqual(['gamma', 'beta', 'Alpha']);
    expect(await list('pageSize=2&pageNumber=2&sortBy=name&direction=ascending')).toEqual(['gamma']);
  });

  it('Eloqua: by the field orderBy names', async () => {
    for (const name of ['Zulu', 'alpha', 'Mike'])
      expect((await mock.client.call('eloqua', 'createContactSegment', { body: { name } })).status).toBe(201);
    const list = async (query: string) =>
      names(
        ((await mock.client.call('eloqua', 'listContactSegments', { query })).json as { elements: unknown[] }).elements,
      );
    expect(await list('count=10')).toEqual(['Zulu', 'alpha', 'Mike']);
    expect(await list('count=10&orderBy=name')).toEqual(['alpha', 'Mike', 'Zulu']);
  });
});

describe('sortRecords', () => {
  const sort = { by: 'sortBy', direction: 'dir', ascending: 'asc', descending: 'desc', default: 'ascending' } as const;
  const records = [
    { n: 1, v: 'b' },
    { n: 2, v: null },
    { n: 3, v: '10' },
    { n: 4, v: 'A' },
    { n: 5 },
    { n: 6, v: 9 },
    { n: 7, v: 'b' },
  ];
  const order = (query: string) => sortRecords(records, sort, new URLSearchParams(query)).map((r) => r.n);

  it('numbers and numeric texts by value, then texts case aside, then records without the value', () => {
    expect(order('sortBy=v')).toEqual([6, 3, 4, 1, 7, 2, 5]);
    expect(order('sortBy=v&dir=asc')).toEqual([6, 3, 4, 1, 7, 2, 5]);
  });

  it('descending reverses the values, keeps ties in stored order and the missing values last', () => {
    expect(order('sortBy=v&dir=desc')).toEqual([3, 6, 1, 7, 4, 2, 5]);
  });

  it('an unknown direction is the default one; a field no record has, or none asked, keeps the stored order', () => {
    expect(order('sortBy=v&dir=sideways')).toEqual(order('sortBy=v'));
    expect(order('sortBy=nothing&dir=desc')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(order('dir=desc')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(
      sortRecords(records, { ...sort, field: 'n', default: 'descending' }, new URLSearchParams('')).map((r) => r.n),
    ).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('a list paged and filtered by parameters no x-resource declares (the REST shape)', () => {
  it('pages by limit and page (default size from the document) and filters by a parameter named for a field', async () => {
    const own = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/inferred-paging.yaml'] });
    try {
      const base = own.apis[0]!.baseUrl;
      for (const [title, status] of [
        ['a', 'open'],
        ['b', 'done'],
        ['c', 'open'],
      ]) {
        const made = await fetch(`${base}/tasks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title, status }),
        });
        expect(made.status).toBe(201);
      }
      const titles = async (query: string) =>
        ((await (await fetch(`${base}/tasks?${query}`)).json()) as { tasks: { title: string }[] }).tasks.map(
          (t) => t.title,
        );
      expect(await titles('')).toEqual(['a', 'b']);
      expect(await titles('page=2')).toEqual(['c']);
      expect(await titles('limit=1&page=3')).toEqual(['c']);
      expect(await titles('limit=10&Status=open')).toEqual(['a', 'c']);
      // Free text may be a search: not read as a filter.
      expect(await titles('limit=10&title=x')).toEqual(['a', 'b', 'c']);
    } finally {
      await own.close();
    }
  });
});
