/**
 * Where three guessed rules must stand back: a list answer echoing the cursor it was asked with is no
 * word that no page follows; an add answering the group, whose `user` is its owner, answers no member;
 * a PUT documenting 201 and 400 (no 404) refusing a valid body with 400 refuses it, it does not miss it.
 */
import { expect, it } from 'vitest';
import { jsonServer } from '../support/json-server.js';
import { COMMON, expectFailures, runConformance, summarize } from '../support/runner.js';

const run = (fixture: string, url: string) =>
  runConformance(['--spec', `tests/fixtures/openapi/${fixture}`, '--base-url', url, ...COMMON]);

it('a first page echoing a null cursor beside a next one does not prove the record missing', async () => {
  // Three notes stored before the run, pages of two, oldest first: the run's note is on a later page.
  const notes = [1, 2, 3].map((id) => ({ id, text: `old ${id}` }));
  const target = await jsonServer(
    ({ method, url, body, json }) => {
      if (url.pathname === '/notes' && method === 'GET') {
        const cursor = url.searchParams.get('cursor');
        const limit = Number(url.searchParams.get('limit') ?? 2);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, body: { message: 'limit' } };
        const start = cursor !== null && /^\d+$/.test(cursor) ? Number(cursor) : 0;
        const end = start + limit;
        const next = end < notes.length ? String(end) : null;
        return { status: 200, body: { cursor, next_cursor: next, data: notes.slice(start, end) } };
      }
      if (url.pathname === '/notes' && method === 'POST') {
        const text = (body as { text?: unknown } | undefined)?.text;
        const keys = typeof body === 'object' && body !== null ? Object.keys(body) : [];
        if (!json || typeof text !== 'string' || text.length > 100 || keys.some((k) => k !== 'text'))
          return { status: 400, body: { message: 'text' } };
        const note = { id: notes.length + 1, text };
        notes.push(note);
        return { status: 201, body: note };
      }
      const note = notes.find((n) => `/notes/${n.id}` === url.pathname);
      return note && method === 'GET' ? { status: 200, body: note } : { status: 404, body: { message: 'Not Found' } };
    },
    { status: 400, body: { message: 'not JSON' } },
  );
  try {
    const result = await run('cursor-echo.yaml', target.url);
    expectFailures(result, []);
  } finally {
    await target.close();
  }
});

it("an add answering the group, whose user is its owner, is not judged as the member's answer", async () => {
  const users = new Map<string, { id: number; name: string }>();
  const groups = new Map<string, { id: number; name: string }>();
  const owner = { id: 0, name: 'Owner' };
  let next = 1;
  const named = (b: unknown) =>
    typeof b === 'object' &&
    b !== null &&
    typeof (b as { name?: unknown }).name === 'string' &&
    Object.keys(b).length === 1;
  const target = await jsonServer(({ method, url, body, json }) => {
    const [top, id, sub, member] = url.pathname.split('/').filter(Boolean);
    const group = id === undefined ? undefined : groups.get(id);
    const shown = (g: { id: number; name: string }) => ({ ...g, user: owner });
    if (top === 'users' && id === undefined && method === 'POST') {
      if (!json || !named(body)) return { status: 400, body: { errors: ['name'] } };
      const user = { id: next++, name: (body as { name: string }).name };
      users.set(String(user.id), user);
      return { status: 201, body: user };
    }
    if (top === 'users' && id !== undefined && method === 'GET' && users.has(id))
      return { status: 200, body: users.get(id) };
    if (top === 'groups' && id === undefined && method === 'POST') {
      if (!json || !named(body)) return { status: 400, body: { errors: ['name'] } };
      const made = { id: next++, name: (body as { name: string }).name };
      groups.set(String(made.id), made);
      return { status: 201, body: shown(made) };
    }
    if (top === 'groups' && group && sub === undefined && method === 'GET') return { status: 200, body: shown(group) };
    if (top === 'groups' && group && sub === 'users' && member !== undefined && users.has(member) && method === 'POST')
      return { status: 200, body: shown(group) };
    return { status: 404, body: { errors: ['Not Found'] } };
  });
  try {
    const result = await run('add-member-answers-group.yaml', target.url);
    expectFailures(result, []);
    expect(
      result.report?.operations?.addGroupUser?.checks.positive_data_accepted?.passed,
      summarize(result.report),
    ).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it('a PUT creating what it names, documenting 201 and 400 and no 404, fails for refusing every valid body', async () => {
  const target = await jsonServer(({ method }) => ({
    status: 400,
    body: { message: method === 'GET' ? 'Record not found' : 'name is not accepted' },
  }));
  try {
    const result = await run('put-create-400.yaml', target.url);
    expect(result.report?.failures.map((f) => `${f.check} ${f.operationId}`)).toContain(
      'positive_data_accepted putThing',
    );
    // The read's 400 for an id nobody made is its documented not-found: not judged.
    expect(result.report?.failures.map((f) => `${f.check} ${f.operationId}`)).not.toContain(
      'positive_data_accepted getThing',
    );
  } finally {
    await target.close();
  }
});
