/**
 * An operation documenting 400 and no 404 refuses a record it does not hold with that 400: a made-up
 * id answered so is not a refused valid request, and an id never created, or deleted in the run,
 * must be refused on a read. Beside a documented 404, a 400 is still no not-found.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import { COMMON, expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/not-found-as-400.yaml';

type Fault = 'none' | 'archive 400' | 'any id found' | 'deleted still read';

/** A server doing what the fixture documents, but for `fault`. */
function thingsServer(fault: Fault) {
  const things = new Map<string, string>();
  const refused = { status: 400, body: { message: 'no such thing' } };
  const invalid = { status: 400, body: { message: 'invalid' } };
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return jsonServer(({ method, url, body, json }) => {
    if (url.pathname === '/things') {
      if (method === 'GET') return { status: 200, body: [...things].map(([id, name]) => ({ id, name })) };
      const name = (body as { name?: unknown } | undefined)?.name;
      if (!json || typeof name !== 'string') return invalid;
      const id = randomUUID();
      things.set(id, name);
      return { status: 201, body: { id, name } };
    }
    const labels = /^\/things\/([^/]+)\/labels$/.exec(url.pathname)?.[1];
    if (labels !== undefined) return uuid.test(labels) ? { status: 200, body: [] } : invalid;
    const [, where, id] = /^(\/things|\/restore\/things|\/archive\/things)\/([^/]+)$/.exec(url.pathname) ?? [];
    if (id === undefined || !uuid.test(id)) return invalid;
    const name = things.get(id);
    if (where === '/archive/things') {
      // Nothing is ever archived: no such thing, by the 404 this operation documents for it.
      return fault === 'archive 400' ? refused : { status: 404, body: { message: 'no such archived thing' } };
    }
    if (name === undefined)
      return fault === 'any id found' && method === 'GET' ? { status: 200, body: { id, name: 'made up' } } : refused;
    if (where === '/restore/things') return { status: 200, body: { id, name } };
    if (method === 'DELETE') {
      if (fault !== 'deleted still read') things.delete(id);
      return { status: 204 };
    }
    if (method === 'PATCH') {
      const update = body as { name?: unknown } | undefined;
      if (!json || typeof update !== 'object' || update === null || Array.isArray(update)) return invalid;
      if (update.name !== undefined && typeof update.name !== 'string') return invalid;
      if (typeof update.name === 'string') things.set(id, update.name);
    }
    return { status: 200, body: { id, name: things.get(id) } };
  }, invalid);
}

const expected: Record<Fault, string[]> = {
  none: [],
  // Where 404 is documented, it is the not-found: a 400 there refuses a valid request.
  'archive 400': ['positive_data_accepted getArchivedThing'],
  'any id found': ['resource_availability getThing'],
  'deleted still read': ['resource_availability getThing'],
};

it.each(Object.keys(expected) as Fault[])('a read documenting 400 and no 404, the server %s', async (fault) => {
  const target = await thingsServer(fault);
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, ...COMMON]);
    expectFailures(run, expected[fault]);
    if (fault !== 'none') return;
    const operations = run.report?.operations;
    // The made-up id of the restore got the documented 400: not judged, not failed.
    expect(operations?.restoreThing?.checks.positive_data_accepted?.failed ?? 0).toBe(0);
    expect(operations?.restoreThing?.checks.positive_data_accepted?.skipped).toBeGreaterThan(0);
    // A list under a thing ends at no record: its 400 is no not-found, so its empty list for a thing
    // never created failed nothing (expectFailures above), though it was asked.
    expect(operations?.listLabels?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    // An id never created and the deleted record were asked about, and refused.
    expect(operations?.getThing?.checks.resource_availability?.passed).toBeGreaterThan(0);
    const steps = run.report?.failures ?? [];
    expect(steps, summarize(run.report)).toEqual([]);
  } finally {
    await target.close();
  }
});

it('the mock keeps to the fixture: the run passes', async () => {
  const mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', mock.apis[0]!.baseUrl, ...COMMON]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});
