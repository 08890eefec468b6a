/**
 * A create documenting 201 "creates" beside 200 "already exists" (a find-or-create). The runner
 * takes a 200 answer as a record that was already there, not as one the run made: on a live account
 * (and in any run that cleans up after itself) nothing of the run changes or deletes it, and the
 * scenario steps that needed it are not sent, with the reason. A create documenting 200 alone made
 * what it answers, as before, and so does one whose 200 beside its 201 does not say it found the
 * record ("OK"). The mock answers a create that made its record with the documented
 * 201, not with the 200 listed before it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { COMMON, runConformance, summarize } from '../support/runner.js';
import { sendJson } from '../support/send-json.js';

const FIXTURE = 'tests/fixtures/openapi/find-or-create.yaml';

interface Label {
  id: number;
  name: string;
  color: string;
}

/**
 * A server doing what the fixture documents, on an account that already holds label 1 "urgent",
 * which someone else made. Labels are found by name (200) or made (201); tags are always made (200).
 */
async function findOrCreateServer() {
  const someones = { id: 1, name: 'urgent', color: 'grey' };
  const labels = new Map<number, Label>([[1, { ...someones }]]);
  const tags = new Map<number, { id: number; name: string }>();
  const notes = new Map<number, { id: number; text: string }>();
  const log: string[] = [];
  let next = 2;
  const server = await jsonServer(
    ({ method, url, body, json }): JsonAnswer => {
      log.push(`${method} ${url.pathname}`);
      const sent = isObject(body) ? body : undefined;
      const named = (values: string[]) =>
        json &&
        sent !== undefined &&
        Object.keys(sent).every((k) => k === 'name') &&
        values.includes(sent.name as string);
      if (method === 'POST' && url.pathname === '/labels') {
        if (!named(['urgent', 'later'])) return { status: 422, body: {} };
        const found = [...labels.values()].find((l) => l.name === sent!.name);
        if (found) return { status: 200, body: found };
        const label = { id: next++, name: sent!.name as string, color: 'grey' };
        labels.set(label.id, label);
        return { status: 201, body: label };
      }
      if (method === 'POST' && url.pathname === '/tags') {
        if (!named(['red', 'green'])) return { status: 422, body: {} };
        const tag = { id: next++, name: sent!.name as string };
        tags.set(tag.id, tag);
        return { status: 200, body: tag };
      }
      if (method === 'POST' && url.pathname === '/notes') {
        const text = isObject(body) ? body.text : undefined;
        if (!json || Object.keys(sent ?? {}).some((k) => k !== 'text') || !['hello', 'bye'].includes(text as string))
          return { status: 422, body: {} };
        const note = { id: next++, text: text as string };
        notes.set(note.id, note);
        return { status: 200, body: note };
      }
      const [, collection, id] = /^\/(labels|tags|notes)\/(\d+)$/.exec(url.pathname) ?? [];
      const store: Map<number, object> = collection === 'labels' ? labels : collection === 'tags' ? tags : notes;
      const record = store.get(Number(id)) as Label | undefined;
      if (!record) return { status: 404, body: {} };
      if (method === 'DELETE') {
        store.delete(record.id);
        return { status: 204 };
      }
      if (method === 'PATCH' && collection === 'labels') {
        const valid =
          json &&
          sent !== undefined &&
          Object.keys(sent).every((k) => k === 'color') &&
          (sent.color === undefined || ['grey', 'blue', 'red'].includes(sent.color as string));
        if (!valid) return { status: 422, body: {} };
        Object.assign(record, sent);
      }
      return { status: 200, body: record };
    },
    { status: 422, body: {} },
  );
  return { server, someones, labels, tags, notes, log };
}

describe('a create that finds its record already there', () => {
  let server: LocalServer | undefined;
  afterEach(() => server?.close());

  // --live: the target holds others' records; --cleanup on loopback: the run is to leave it as it found it.
  it.each(['--live', '--cleanup'])(
    'with %s, the record a create answered with 200 beside its 201 is neither changed nor deleted',
    async (flag) => {
      const target = await findOrCreateServer();
      server = target.server;
      const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, flag, ...COMMON]);
      const context = `${run.describe()}\n${summarize(run.report)}`;
      // Someone's label is there as it was: no change and no delete named it.
      expect(target.labels.get(1), context).toEqual(target.someones);
      expect(
        target.log.filter((line) => /^(PATCH|DELETE) \/labels\/1$/.test(line)),
        context,
      ).toEqual([]);
      expect(run.code, context).toBe(0);
      // The label the run made (201) was its own: changed, deleted in the run or by the cleanup.
      expect([...target.labels.keys()], context).toEqual([1]);
      expect(
        target.log.some((line) => /^PATCH \/labels\/(?!1$)\d+$/.test(line)),
        context,
      ).toBe(true);
      expect(run.report?.cleanup?.leftovers, context).toEqual([]);
      // The steps that needed the found label say why they were not sent.
      const held = run.report?.notSentBy.filter((n) =>
        /answered 200 \("Returns the label if it already exists"\)/.test(n.reason),
      );
      expect(
        held?.map((n) => n.operationId),
        context,
      ).toEqual(expect.arrayContaining(['updateLabel', 'deleteLabel']));
      expect(held?.[0]?.reason).toMatch(
        /a record already there rather than one it made: the run acts only on records it made$/,
      );
      // A create documenting 200 alone made what it answers: its tags went through their lifecycle and were deleted.
      expect(target.tags.size, context).toBe(0);
      expect(
        target.log.some((line) => /^DELETE \/tags\/\d+$/.test(line)),
        context,
      ).toBe(true);
      expect(run.report?.notSentBy.filter((n) => /Tag$/.test(n.operationId) && /already there/.test(n.reason))).toEqual(
        [],
      );
      // A 200 "OK" beside a 201 says nothing of a record found: the notes the run made were its own, and deleted.
      expect(target.notes.size, context).toBe(0);
      expect(
        target.log.some((line) => /^DELETE \/notes\/\d+$/.test(line)),
        context,
      ).toBe(true);
    },
  );

  it('the mock answers a create that made its record with the documented 201 and its example, not the 200 before it', async () => {
    const mock = await startMock({ port: 0, specFiles: [FIXTURE], rateLimit: false });
    try {
      const base = mock.apis[0]!.baseUrl;
      const first = await sendJson(`${base}/labels`, 'POST', { name: 'urgent' });
      expect(first.status).toBe(201);
      // Ids count from the 201's example (5), not the 200's (900).
      const made = (await first.json()) as Label;
      expect(made).toMatchObject({ id: 5, name: 'urgent' });
      expect((await fetch(`${base}/labels/${made.id}`)).status).toBe(200);
      // A create documenting 200 alone still answers it.
      expect((await sendJson(`${base}/tags`, 'POST', { name: 'red' })).status).toBe(200);
      // And the runner finds the mock doing what the document says.
      const run = await runConformance(['--spec', FIXTURE, '--base-url', base, ...COMMON]);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    } finally {
      await mock.close();
    }
  });
});
