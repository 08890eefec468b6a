/**
 * A create answering its record in a wrapper typed by branches alone (PagerDuty's
 * `{"contact_method": {oneOf: [...]}}`, Zendesk's `{"user": {anyOf: [...]}}`): the id is in the branches.
 */
import { describe, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';
import { sendJson } from '../support/send-json.js';

const fixture = (name: string) => `tests/fixtures/openapi/${name}.yaml`;
const run = (name: string, baseUrl: string) =>
  runConformance(['--spec', fixture(name), '--base-url', baseUrl, '--seed', '7', '--cleanup']);

describe.each([
  ['oneof-wrapped-record', 'things', 'thing', { kind: 'b', label: 'Ada' }],
  ['anyof-wrapped-record', 'users', 'user', { name: 'Ada' }],
] as const)('%s', (name, collection, wrapper, sent) => {
  it('the mock keeps the record by the id in its branches; the runner follows it and deletes what it made', async () => {
    const mock = await startMock({ port: 0, specFiles: [fixture(name)] });
    try {
      const base = mock.apis[0]!.baseUrl;
      const created = (await (await sendJson(`${base}/${collection}`, 'POST', { [wrapper]: sent })).json()) as Record<
        string,
        { id: unknown }
      >;
      const id = created[wrapper]!.id;
      const read = await fetch(`${base}/${collection}/${id}`);
      expect(read.status).toBe(200);
      // What was sent, as sent (a branch's `kind: b`, not the first branch's), under the id made.
      expect(await read.json()).toMatchObject({ [wrapper]: { ...sent, id } });
      expect((await fetch(`${base}/${collection}/9999`)).status).toBe(404);
      const result = await run(name, base);
      expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
      expect(result.stdout).toMatch(/cleanup: [1-9]\d* records the run created deleted; 0 left behind/);
    } finally {
      await mock.close();
    }
  });
});

it('a server whose delete keeps a branch-typed record is caught', async () => {
  const things = new Map<string, Record<string, unknown>>();
  let next = 1;
  const server = await jsonServer(({ method, url, body, json }) => {
    const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id === undefined) {
      const thing = isObject(body) ? body.thing : undefined;
      const valid =
        json &&
        isObject(thing) &&
        (thing.kind === 'a' || thing.kind === 'b') &&
        typeof thing.label === 'string' &&
        Object.keys(thing).every((key) => key === 'kind' || key === 'label');
      if (method !== 'POST' || !valid) return { status: 400 };
      const made = { ...thing, id: `t${next++}` };
      things.set(made.id, made);
      return { status: 201, body: { thing: made } };
    }
    const thing = things.get(id);
    if (!thing) return { status: 404 };
    // The fault: a delete answers 204 and keeps the record.
    return method === 'DELETE' ? { status: 204 } : { status: 200, body: { thing } };
  });
  try {
    expectFailures(await run('oneof-wrapped-record', server.url), ['resource_availability getThing']);
  } finally {
    await server.close();
  }
});
