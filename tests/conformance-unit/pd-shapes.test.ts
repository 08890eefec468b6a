/**
 * Two shapes of PagerDuty's API. A list filter written as an exploded array (`team_ids[]=...`) with no
 * `allowEmptyValue`: an empty item (`?team_ids[]=`) is an empty value, never a valid request, so a server
 * refusing it with its documented 400 passes. Contact methods nested under a user: an item asked about
 * only by an id the run made up, under a user the run made, is reported as never reached.
 */
import { describe, expect, it } from 'vitest';
import { jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const EMPTY_ITEM = 'tests/fixtures/openapi/empty-list-item-query.yaml';
const NESTED = 'tests/fixtures/openapi/nested-item-made-up.yaml';
const ARGS = ['--seed', '7', '--no-random'];

/**
 * Refuses an empty value with the documented 400, but where the document allows one (`tag_ids[]`);
 * `faulty`: answers 500 to any empty value, that one too.
 */
function filtersServer(faulty: boolean) {
  return jsonServer(({ url }) => {
    const pairs = [...url.searchParams];
    const teams = url.searchParams.getAll('team_ids[]');
    if (faulty && pairs.some(([, value]) => value === '')) return { status: 500, body: { error: 'boom' } };
    const empty = pairs.some(([name, value]) => value === '' && name !== 'tag_ids[]');
    if (empty || new Set(teams).size !== teams.length) return { status: 400, body: { error: 'invalid filter' } };
    return { status: 200, body: { users: [] } };
  });
}

describe('an empty item of an array query parameter', () => {
  it('is not sent as valid without allowEmptyValue: a server refusing `?team_ids[]=` with its 400 passes', async () => {
    const target = await filtersServer(false);
    try {
      const run = await runConformance(['--spec', EMPTY_ITEM, '--base-url', target.url, ...ARGS]);
      expectFailures(run, []);
      expect(run.report?.operations.listUsers?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });

  it('is still sent where allowEmptyValue says so: a server failing on `?tag_ids[]=` is flagged, for that one alone', async () => {
    const target = await filtersServer(true);
    try {
      const run = await runConformance(['--spec', EMPTY_ITEM, '--base-url', target.url, ...ARGS]);
      expectFailures(run, ['not_a_server_error listUsers']);
      // ... by the valid empty item and the invalid one (`label_ids[]` items may not be empty), never by the
      // empty items of `team_ids[]` and `states`, which no request sends as valid.
      const cases = new Set(run.report?.failures.map((f) => String(f.case)));
      expect([...cases].sort(), summarize(run.report)).toEqual([
        'negative: query label_ids[] /0 below minLength 1',
        'positive: query tag_ids[] /0 minLength 0',
      ]);
    } finally {
      await target.close();
    }
  });
});

/** PagerDuty's users and their contact methods, kept as documented: no answer names a contact method's id. */
function contactMethodsServer() {
  const users = new Map<string, Map<string, unknown>>();
  let next = 1;
  return jsonServer(({ method, url, body, json }) => {
    if (method === 'POST' && !json) return { status: 400, body: {} };
    const [, top, userId, sub, itemId, ...rest] = url.pathname.split('/');
    if (top !== 'users' || rest.length > 0) return { status: 404 };
    const record = body as { name?: unknown; contact_method?: { type?: unknown; address?: unknown } } | undefined;
    if (userId === undefined && method === 'POST') {
      if (typeof record?.name !== 'string') return { status: 400, body: {} };
      const id = `u${next++}`;
      users.set(id, new Map());
      return { status: 201, body: { id, name: record.name } };
    }
    const methods = userId === undefined ? undefined : users.get(userId);
    if (!methods) return { status: 404 };
    if (sub === undefined && method === 'DELETE') {
      users.delete(userId!);
      return { status: 204 };
    }
    if (sub !== 'contact_methods') return { status: 404 };
    if (itemId === undefined && method === 'POST') {
      const { type, address } = record?.contact_method ?? {};
      if (!['email_contact_method', 'phone_contact_method'].includes(String(type)) || typeof address !== 'string')
        return { status: 400, body: {} };
      methods.set(`c${next++}`, { type, address });
      return { status: 201, body: { contact_method: { type, address } } };
    }
    const found = itemId === undefined ? undefined : methods.get(itemId);
    if (found === undefined) return { status: 404 };
    if (method === 'DELETE') methods.delete(itemId!);
    return method === 'DELETE' ? { status: 204 } : { status: 200, body: { contact_method: found } };
  });
}

describe('an item under a parent the run made, by an id it made up', () => {
  it('is listed as unreached: the user the run made does not make the contact method one of its records', async () => {
    const target = await contactMethodsServer();
    try {
      const run = await runConformance(['--spec', NESTED, '--base-url', target.url, ...ARGS]);
      expectFailures(run, []);
      expect(run.report?.unreached, summarize(run.report)).toEqual(['getUserContactMethod', 'deleteUserContactMethod']);
      expect(run.stdout).toContain('note: getUserContactMethod was never asked about a record the run made');
    } finally {
      await target.close();
    }
  });
});
