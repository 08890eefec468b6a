/**
 * A list whose page size the run does not know (`per_page` without a default) proves the record
 * created in the run missing where its page cannot have left it to another: an empty page, or one
 * whose answer says no page follows (`has_next_page` false, the next cursor null). A page that says
 * one follows (its flag, its cursor, a `Link` header) or says nothing (its cursor left out) and holds
 * records may have, and is not judged.
 */
import { describe, expect, it } from 'vitest';
import { jsonServer } from '../support/json-server.js';
import { COMMON, expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/list-says-no-next-page.yaml';

type Thing = { id: number; name: string };

/**
 * A server keeping the things it is sent, three of them there before the run; `page` answers its list
 * from all of them and from the run's alone (the correct one lists all, the last page).
 */
function thingsServer(page: (all: Thing[], made: Thing[]) => { body: unknown; headers?: Record<string, string> }) {
  const before: Thing[] = [1, 2, 3].map((id) => ({ id, name: `older ${id}` }));
  const made: Thing[] = [];
  const invalid = { status: 422, body: { errors: ['Name is invalid'] } };
  return jsonServer(({ method, url, body, json }) => {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'things') return { status: 404, body: { errors: ['Not Found'] } };
    if (parts.length === 1 && method === 'POST') {
      const name = (body as { name?: unknown } | undefined)?.name;
      if (!json || typeof body !== 'object' || body === null || Array.isArray(body) || typeof name !== 'string')
        return invalid;
      const thing = { id: 100 + made.length, name };
      made.push(thing);
      return { status: 201, body: { thing } };
    }
    if (parts.length === 1 && method === 'GET') return { status: 200, ...page([...before, ...made], made) };
    const thing = [...before, ...made].find((t) => String(t.id) === parts[1]);
    if (parts.length === 2 && method === 'GET' && thing) return { status: 200, body: { thing } };
    return { status: 404, body: { errors: ['Not Found'] } };
  }, invalid);
}

async function run(page: Parameters<typeof thingsServer>[0]) {
  const server = await thingsServer(page);
  try {
    return await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
  } finally {
    await server.close();
  }
}

const older = (all: Thing[]) => all.slice(0, 3);

describe('a list page that cannot have left the created record to another', () => {
  it('a correct server, whose first page holds every thing and says none follows, passes', async () => {
    const result = await run((all) => ({
      body: { things: all, pagination: { has_next_page: false, next_cursor: null } },
    }));
    expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
  });

  it.each([
    ['an empty page saying nothing of a next page', () => ({ things: [], pagination: {} })],
    ['an empty page whose flag says no page follows', () => ({ things: [], pagination: { has_next_page: false } })],
    [
      'a page of older things whose flag says no page follows',
      (all: Thing[]) => ({
        things: older(all),
        pagination: { has_next_page: false },
      }),
    ],
    [
      'a page of older things whose next cursor is null',
      (all: Thing[]) => ({
        things: older(all),
        pagination: { next_cursor: null },
      }),
    ],
  ])('%s fails stateful_rules on the list', async (_, body) => {
    const result = await run((all) => ({ body: body(all) }));
    expectFailures(result, ['stateful_rules get_things']);
    const failure = result.report!.failures.find((f) => f.check === 'stateful_rules')!;
    expect(failure.message).toBe('the list does not hold the record created in this run');
  });

  it.each([
    [
      'a page of older things saying nothing of a next page (its cursor left out: it may be full)',
      (all: Thing[]) => ({ body: { things: older(all), pagination: {} } }),
    ],
    [
      'a page of older things whose flag says a page follows (no cursor given)',
      (all: Thing[]) => ({
        body: { things: older(all), pagination: { has_next_page: true } },
      }),
    ],
    [
      'a page of older things whose flag and cursor say a page follows',
      (all: Thing[]) => ({
        body: { things: older(all), pagination: { has_next_page: true, next_cursor: 'page-2' } },
      }),
    ],
    [
      'an empty page whose next cursor says a page follows',
      () => ({
        body: { things: [], pagination: { next_cursor: 'page-2' } },
      }),
    ],
    [
      'an empty page whose Link header names a next page',
      () => ({
        body: { things: [], pagination: {} },
        headers: { link: '<https://api.example.com/things?after=page-2>; rel="next"' },
      }),
    ],
  ])('%s is not judged', async (_, page) => {
    const result = await run(page);
    expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
  });
});
