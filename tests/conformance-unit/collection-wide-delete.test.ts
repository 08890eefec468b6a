/**
 * A DELETE on a collection's own path that no record of the run binds (`DELETE /people`, a filter at
 * most) removes every record there: it runs after the run is done with them, and on a target holding
 * others' records it is not sent at all.
 */
import { expect, it } from 'vitest';
import { jsonServer } from '../support/json-server.js';
import { COMMON, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/collection-wide-delete.yaml';

/** A server doing what the fixture documents: its collection deletes remove what they say. */
function peopleServer() {
  const people = new Map<number, { id: number; name: string; notes: Map<number, string> }>();
  let next = 1;
  const invalid = { status: 400, body: { message: 'invalid' } };
  const missing = { status: 404, body: { message: 'no such record' } };
  const wholeId = (text: string | undefined) => (text !== undefined && /^[1-9]\d*$/.test(text) ? Number(text) : -1);
  return jsonServer(({ method, url, body, json }) => {
    const parts = url.pathname.split('/').slice(1);
    if (parts[0] !== 'people') return missing;
    const text = (key: string) => (body as Record<string, unknown> | undefined)?.[key];
    if (parts.length === 1) {
      if (method === 'GET') return { status: 200, body: [...people.values()].map(({ id, name }) => ({ id, name })) };
      if (method === 'DELETE') {
        const name = url.searchParams.get('name');
        const gone = [...people.values()].filter((p) => name === null || p.name === name).map((p) => p.id);
        for (const id of gone) people.delete(id);
        return { status: 200, body: { deleted: gone } };
      }
      if (!json || typeof text('name') !== 'string') return invalid;
      const person = { id: next++, name: text('name') as string, notes: new Map<number, string>() };
      people.set(person.id, person);
      return { status: 201, body: { id: person.id, name: person.name } };
    }
    const id = wholeId(parts[1]);
    if (id < 0) return missing;
    const person = people.get(id);
    if (!person) return missing;
    if (parts.length === 2) {
      if (method === 'DELETE') return people.delete(id) ? { status: 204 } : missing;
      if (method === 'PATCH') {
        if (!json || typeof body !== 'object' || body === null || Array.isArray(body)) return invalid;
        if (text('name') !== undefined && typeof text('name') !== 'string') return invalid;
        if (typeof text('name') === 'string') person.name = text('name') as string;
      }
      return { status: 200, body: { id, name: person.name } };
    }
    if (parts[2] !== 'notes') return missing;
    if (parts.length === 3) {
      if (method === 'DELETE') {
        const gone = [...person.notes.keys()];
        person.notes.clear();
        return { status: 200, body: { deleted: gone } };
      }
      if (!json || typeof text('text') !== 'string') return invalid;
      const noteId = next++;
      person.notes.set(noteId, text('text') as string);
      return { status: 201, body: { id: noteId, text: text('text') } };
    }
    const noteId = wholeId(parts[3]);
    if (noteId < 0) return missing;
    const note = person.notes.get(noteId);
    return note === undefined ? missing : { status: 200, body: { id: noteId, text: note } };
  }, invalid);
}

it('a correct server passes: the collection deletes run after every case using the records they remove', async () => {
  const target = await peopleServer();
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, ...COMMON]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const operations = run.report?.operations;
    expect(operations?.deletePeople?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(operations?.deleteNotes?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(operations?.getNote?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it('plans the delete of every note after the notes, before the delete of their person, and the delete of every person last', async () => {
  const run = await runConformance(['--spec', FIXTURE, '--base-url', 'http://127.0.0.1:9', '--dry-run', ...COMMON], {
    json: false,
  });
  expect(run.code, run.describe()).toBe(0);
  // The operations' own cases, in plan order (the scenarios follow, each making its own records).
  const order = [...run.stdout.matchAll(/^#\d+ (\w+) · (?!stateful|lifecycle)/gm)].map((m) => m[1]!);
  const phases = order.filter((id, i) => order.indexOf(id) === i);
  expect(phases.at(-1)).toBe('deletePeople');
  expect(phases.indexOf('deleteNotes')).toBeGreaterThan(phases.indexOf('getNote'));
  expect(phases.indexOf('deleteNotes')).toBeLessThan(phases.indexOf('deletePerson'));
  expect(order.lastIndexOf('getPerson')).toBeLessThan(order.indexOf('deletePeople'));
});

it('on a live run the delete of every person is not sent; the delete of the notes of the run own person is', async () => {
  const run = await runConformance(
    ['--spec', FIXTURE, '--base-url', 'https://api.example.com', '--live', '--dry-run', '--seed', '7'],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  const lines = run.stdout.split('\n');
  const people = lines.filter((l) => / deletePeople /.test(l));
  expect(people.length).toBeGreaterThan(0);
  for (const line of people) expect(line).toMatch(/not sent to a target/);
  expect(lines.some((l) => /^#\d+ deleteNotes · positive/.test(l))).toBe(true);
});
