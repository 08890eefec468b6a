/** A list answer holding another array before its records (Box's `order: [{by, direction}]` before `entries`). */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';
import { sendJson } from '../support/send-json.js';

const SPEC = 'tests/fixtures/openapi/list-after-order.yaml';
const run = (baseUrl: string) => runConformance(['--spec', SPEC, '--base-url', baseUrl, '--seed', '7']);

/** Box's list: the records in `entries`; `omits`: new records never listed. */
function things(omits = false) {
  let next = 90;
  const stored = new Map<string, { id: string; name: string }>();
  return jsonServer(({ method, url, body, json }): JsonAnswer => {
    const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id === undefined) {
      if (method === 'GET') {
        const entries = omits ? [] : [...stored.values()];
        return { status: 200, body: { total_count: entries.length, order: [{ by: 'id', direction: 'ASC' }], entries } };
      }
      if (!json || !isObject(body) || typeof body.name !== 'string') return { status: 400 };
      const thing = { id: String(next++), name: body.name };
      stored.set(thing.id, thing);
      return { status: 201, body: thing };
    }
    const thing = stored.get(id);
    if (!thing) return { status: 404 };
    if (method === 'DELETE') stored.delete(id);
    return method === 'DELETE' ? { status: 204 } : { status: 200, body: thing };
  });
}

it('the mock lists what it keeps in the array of records, and the runner finds them there', async () => {
  const mock = await startMock({ port: 0, specFiles: [SPEC] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const { id } = (await (await sendJson(`${base}/things`, 'POST', { name: 'Ada' })).json()) as { id: string };
    const listed = (await (await fetch(`${base}/things`)).json()) as { entries: { id: string }[] };
    expect(listed.entries.map((thing) => thing.id)).toEqual([id]);
    const result = await run(base);
    expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});

it('a server listing its records in entries passes; one never listing new records is caught', async () => {
  const correct = await things();
  try {
    const result = await run(correct.url);
    expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
    expect(result.stdout).toMatch(/listThings +stateful_rules +[1-9]/);
  } finally {
    await correct.close();
  }
  const faulty = await things(true);
  try {
    expectFailures(await run(faulty.url), ['stateful_rules listThings']);
  } finally {
    await faulty.close();
  }
});
