/**
 * On a target holding others' records (`--live`, or not on loopback) a run changes only records it
 * made: never a documented example's id, a boundary or a malformed one, and never a whole collection.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/others-records.yaml';

/**
 * A server that does what the document says, already holding others' records: contacts 42 and 43
 * (the documented examples) and legacy record `abc`. Its own ids count from 1000.
 */
async function contactsServer() {
  const contacts = new Map<number, { id: number; name: string }>([
    [42, { id: 42, name: 'someone' }],
    [43, { id: 43, name: 'someone else' }],
  ]);
  const legacy = new Set(['abc']);
  const made = new Set<string>();
  const changes: string[] = [];
  let next = 1000;
  const server = await jsonServer(({ method, url, body, json }) => {
    if (method !== 'GET' && !(method === 'POST' && url.pathname === '/contacts'))
      changes.push(`${method} ${url.pathname}${url.search}`);
    const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id !== undefined) {
      // As lenient as servers come: `1.5` is contact 1.
      const contact = contacts.get(Number.parseInt(id, 10));
      if (!contact) return { status: 404 };
      if (method === 'DELETE') contacts.delete(contact.id);
      return method === 'DELETE' ? { status: 204 } : { status: 200, body: contact };
    }
    const code = /^\/legacy\/([^/]+)$/.exec(url.pathname)?.[1];
    if (code !== undefined) return { status: legacy.delete(decodeURIComponent(code)) ? 204 : 404 };
    if (method === 'DELETE') {
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
      if (!url.searchParams.has('ids') || !ids.every((i) => /^-?\d+$/.test(i))) return { status: 400 };
      for (const i of ids) contacts.delete(Number(i));
      return { status: 204 };
    }
    const name = (body as { name?: unknown } | undefined)?.name;
    if (!json || typeof name !== 'string' || name.length < 1 || name.length > 20) return { status: 400 };
    const contact = { id: next++, name };
    contacts.set(contact.id, contact);
    made.add(String(contact.id));
    return { status: 201, body: contact };
  });
  const othersLeft = () => [...contacts.keys()].filter((key) => key < 1000).length + legacy.size;
  return { server, made, changes, othersLeft };
}

describe('a target holding others records', () => {
  let server: LocalServer | undefined;
  afterEach(() => server?.close());

  it('--live: every change names a record the run made; the rest is listed as not sent, and the run passes', async () => {
    const target = await contactsServer();
    server = target.server;
    const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, '--seed', '7', '--live']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    // Others' records are all still there, and no change named one: not `1.5`, which this server reads as 1;
    // a malformed id with no number in it names nothing, and its refusal is still asked for.
    expect(target.othersLeft()).toBe(3);
    expect(target.changes).toContain('DELETE /contacts/not-a-number');
    expect(target.changes).not.toContain('DELETE /contacts/1.5');
    expect(target.changes.filter((c) => /\/(42|43|abc)$/.test(c))).toEqual([]);
    // The bulk delete names, by its query, the records the run made and no others.
    const listed = target.changes.flatMap((c) => /[?&]ids=([^&]*)/.exec(c)?.[1]?.split('%2C') ?? []);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((id) => !target.made.has(id))).toEqual([]);
    const deletes = target.changes.filter((c) => c.startsWith('DELETE /contacts/'));
    expect(deletes.filter((c) => target.made.has(c.slice('DELETE /contacts/'.length))).length).toBeGreaterThan(0);
    expect(run.report?.notSentBy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operationId: 'deleteContacts' }),
        expect.objectContaining({ operationId: 'deleteLegacy' }),
      ]),
    );
    expect(run.stdout).toContain(
      'DELETE names a record the run did not make by code ("abc"): not sent to a target holding others\' records',
    );
  });

  it('--live with a HAR and an HTML report: the held cases are in them as not sent, and the run passes', async () => {
    const target = await contactsServer();
    server = target.server;
    const dir = await mkdtemp(join(tmpdir(), 'held-'));
    try {
      const [har, html] = [join(dir, 'run.har'), join(dir, 'run.html')];
      const args = ['--spec', FIXTURE, '--base-url', server.url, '--seed', '7', '--live'];
      const run = await runConformance([...args, '--report-har', har, '--report-html', html]);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      const entries = (JSON.parse(await readFile(har, 'utf8')) as { log: { entries: unknown[] } }).log.entries;
      expect(entries.length).toBeGreaterThan(0);
      expect(await readFile(html, 'utf8')).toContain('not sent to a target holding others');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on loopback without --live, the same run sends them all (its records are the only ones there)', async () => {
    const target = await contactsServer();
    server = target.server;
    const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(target.changes).toEqual(expect.arrayContaining(['DELETE /legacy/abc', 'DELETE /contacts/1.5']));
    expect(target.othersLeft()).toBeLessThan(3);
  });
});

it("--live: ids in the query, in a body, around a path segment, and a parent given by the config: only the user's own are changed", async () => {
  const changes: string[] = [];
  const server = await jsonServer(({ method, url, body }) => {
    if (method === 'POST' && url.pathname === '/contacts') return { status: 201, body: { id: 1000, name: 'made' } };
    changes.push(`${method} ${url.pathname}${url.search}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
    return { status: 204 };
  });
  const dir = await mkdtemp(join(tmpdir(), 'others-records-'));
  try {
    const config = join(dir, 'conformance.config.yaml');
    await writeFile(
      config,
      `apis:\n  - name: more\n    spec: ${join(process.cwd(), 'tests/fixtures/openapi/others-records-more.yaml')}\n` +
        `    baseUrl: ${server.url}\n    parameters:\n      accountId: acc-1\n      contactId: 555\n`,
    );
    // The server takes anything (what the run judges of it is not the point here): what reached it is.
    const run = await runConformance(['--config', config, '--seed', '7', '--live'], { json: false });
    expect(run.stdout).toContain('planned requests were not sent');
    // Not one change names someone's record: the examples (42, 43, acc-9, 9), a boundary, `1.5`.
    expect(changes.filter((c) => /[=/]4[23]\b|"id":4[23]|acc-9|\/9\b|1\.5|contacts\/0|id=0/.test(c))).toEqual([]);
    // Yet what the user gave is the user's: its contact is changed and deleted, and the account is never cleared.
    expect(changes).toContain('DELETE /accounts/acc-1/contacts/555');
    expect(changes.some((c) => c.startsWith('PATCH /accounts/acc-1/contacts/555'))).toBe(true);
    expect(changes.filter((c) => c === 'DELETE /accounts/acc-1/contacts')).toEqual([]);
    expect(changes.some((c) => c.startsWith('PATCH /contacts?id=1000'))).toBe(true);
    // A merge of the run's contact into someone's is held back; the user's own profile and notes go.
    expect(changes.filter((c) => c.startsWith('POST /contacts/1000/merge') && c.includes('"into":{"id"'))).toEqual([]);
    expect(changes.some((c) => c.startsWith('POST /contacts/1000/merge'))).toBe(true);
    expect(changes.some((c) => c.startsWith('PATCH /accounts/acc-1/profile') && c.includes('mine-1'))).toBe(true);
    expect(changes.some((c) => c.startsWith('POST /accounts/acc-1/notes') && c.includes('"id":"acc-1"'))).toBe(true);
    // Only the malformed id no record can have goes; without one, or with 42, nothing.
    expect(changes.filter((c) => c.startsWith('PATCH /things'))).toEqual(['PATCH /things?ID=not-a-number']);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('--live: actions naming records in their bodies (a purge, a batch update) are held back; a create leaves its associations out so its lifecycle runs', async () => {
  const sent: string[] = [];
  const contacts = new Set<string>();
  const server = await jsonServer(({ method, url, body }) => {
    sent.push(`${method} ${url.pathname} ${JSON.stringify(body)}`);
    if (method === 'POST' && url.pathname === '/contacts') {
      const id = `c${contacts.size + 1}`;
      contacts.add(id);
      return { status: 201, body: { id } };
    }
    const id = /^\/contacts\/(c\d+)$/.exec(url.pathname)?.[1];
    if (id !== undefined) {
      if (!contacts.has(id)) return { status: 404 };
      if (method === 'DELETE') contacts.delete(id);
      return { status: method === 'DELETE' ? 204 : 200 };
    }
    return { status: url.pathname.endsWith('gdpr-delete') ? 204 : 200 };
  });
  try {
    await runConformance([
      '--spec',
      'tests/fixtures/openapi/actions-by-body-ids.yaml',
      '--base-url',
      server.url,
      '--seed',
      '7',
      '--live',
    ]);
    // No purge or update of a record by an id the run did not make, parseable by any server.
    const named = sent.filter(
      (line) => /gdpr-delete|batch\/|clients\/archive|merges/.test(line) && /\b(777|43000[12])\b/.test(line),
    );
    expect(named).toEqual([]);
    expect(sent.some((line) => line.startsWith('DELETE /contacts/c'))).toBe(true);
    expect(sent.filter((line) => line.startsWith('GET /contacts/c')).length).toBeGreaterThan(0);
  } finally {
    await server.close();
  }
});

it('--live: a malformed text id goes only where no reading of it fits the vendor’s own format, pattern or length', async () => {
  const deleted: string[] = [];
  const server = await jsonServer(({ method, url }) => {
    if (method === 'DELETE') deleted.push(decodeURIComponent(url.pathname));
    return { status: 404 };
  });
  try {
    await runConformance(
      [
        '--spec',
        'tests/fixtures/openapi/others-records-text-ids.yaml',
        '--base-url',
        server.url,
        '--seed',
        '7',
        '--live',
      ],
      { json: false },
    );
    const fits = (path: string): boolean => {
      const [, kind, raw = ''] = path.split('/');
      const text = raw.trim();
      if (kind === 'groups') return /^[0-9a-f]{32}$/i.test(text.replace(/[-{}]/g, ''));
      if (kind === 'roles') return /^RL[0-9a-f]{32}$/i.test(text);
      return true;
    };
    // Some malformed ids went (they name no record), and not one that some server could read as a record's.
    expect(deleted.some((path) => path.startsWith('/groups/'))).toBe(true);
    expect(deleted.some((path) => path.startsWith('/roles/'))).toBe(true);
    expect(deleted.filter(fits)).toEqual([]);
  } finally {
    await server.close();
  }
});

it("--live: a create naming an existing record by its own id member (an upsert's ThingID, a pet's id) is held back", async () => {
  const posted: string[] = [];
  const things = new Map<string, { ThingID: string; Name?: unknown }>();
  const server = await jsonServer(({ method, url, body }) => {
    if (method === 'POST') posted.push(`${url.pathname} ${JSON.stringify(body)}`);
    if (url.pathname === '/Pets') return { status: 200, body: { id: 1000 + posted.length, name: 'made' } };
    if (url.pathname === '/Things') {
      const list = (body as { Things?: unknown } | undefined)?.Things ?? [];
      if (
        !Array.isArray(list) ||
        !list.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
      )
        return { status: 400 };
      const made = (list as { Name?: unknown }[]).map((item, i) => {
        const thing = {
          ...item,
          ThingID: `00000000-0000-4000-8000-${String(posted.length * 10 + i).padStart(12, '0')}`,
        };
        things.set(thing.ThingID, thing);
        return thing;
      });
      return { status: 200, body: { Things: made } };
    }
    const thing = things.get(url.pathname.split('/')[2] ?? '');
    return thing ? { status: 200, body: { Things: [thing] } } : { status: 404 };
  });
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/others-records-upsert.yaml',
      '--base-url',
      server.url,
      '--seed',
      '7',
      '--live',
    ]);
    expect(run.report?.notSentBy.map((n) => n.reason).join('\n'), run.describe()).toContain(
      'did not make by /Things/0/ThingID',
    );
    expect(posted.filter((line) => line.includes('3f2c8a61-5b7e-4d1a-9c3f-2e8b7a6d5c41'))).toEqual([]);
    // The pet's documented id 10 (or a boundary of it) is someone's pet; a pet without an id still goes.
    expect(posted.filter((line) => line.startsWith('/Pets') && line.includes('"id"'))).toEqual([]);
    expect(posted.some((line) => line.startsWith('/Pets'))).toBe(true);
    // The lifecycle's create leaves the upsert's id out rather than being held back whole.
    const dry = await runConformance(
      [
        '--spec',
        'tests/fixtures/openapi/others-records-upsert.yaml',
        '--base-url',
        'https://example.invalid',
        '--seed',
        '7',
        '--live',
        '--dry-run',
      ],
      { json: false },
    );
    const create = dry.stdout.split('\n').find((line) => line.includes('lifecycle: updateOrCreateThings'));
    expect(create, dry.stdout).toMatch(/· lifecycle: updateOrCreateThings/);
  } finally {
    await server.close();
  }
});

it('--live: an action on a record the run made that names a second record (a merge) is held back unless both are its own', async () => {
  const merges: string[] = [];
  let next = 1000;
  const server = await jsonServer(({ method, url, body }) => {
    if (method === 'POST' && url.pathname === '/persons')
      return { status: 201, body: { data: { id: next++, name: 'made' } } };
    if (url.pathname.endsWith('/merge')) merges.push(`${url.pathname} ${JSON.stringify(body)}`);
    return { status: 200, body: {} };
  });
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/others-records-merge.yaml',
      '--base-url',
      server.url,
      '--seed',
      '7',
      '--live',
    ]);
    expect(run.report?.notSentBy.map((n) => n.reason).join('\n'), run.describe()).toContain('by merge_with_id');
    // Whatever went named no person but the run's own (ids from 1000) as the one merged away.
    const others = merges.filter((line) => {
      const id = (JSON.parse(line.slice(line.indexOf(' ') + 1)) as { merge_with_id?: unknown }).merge_with_id;
      return id !== undefined && (typeof id !== 'number' || id < 1000);
    });
    expect(others).toEqual([]);
  } finally {
    await server.close();
  }
});

/** What a live run would send, without sending it. */
async function liveDryRun(fixture: string, ...more: string[]): Promise<string> {
  const args = ['--spec', `tests/fixtures/openapi/${fixture}`, '--base-url', 'https://api.example.com'];
  const run = await runConformance([...args, '--seed', '7', '--live', '--dry-run', ...more], { json: false });
  return run.stdout;
}

/** The listed POSTs whose JSON body carries `key` (a body that is no JSON names nothing a server reads). */
function postsWith(stdout: string, key: string): string[] {
  const parses = (line: string): boolean => {
    try {
      JSON.parse(line.slice(line.indexOf(' {') + 1));
      return true;
    } catch {
      return false;
    }
  };
  return stdout.split('\n').filter((line) => /^\s+POST /.test(line) && line.includes(`"${key}":`) && parses(line));
}

it('--live: an upsert key is held whatever it is called, spelled or written, unless the run stamps it', async () => {
  for (const [fixture, key] of [
    ['others-records-upsert-number.yaml', 'number'],
    ['others-records-upsert-sku.yaml', 'sku'],
    ['others-records-upsert-spelled.yaml', 'accountNumber'],
  ] as const) {
    const stdout = await liveDryRun(fixture);
    expect(postsWith(stdout, key), `${fixture}\n${stdout}`).toEqual([]);
    expect(stdout).toContain(`names a record the run did not make by ${key} in its body`);
  }
});

it('--live: creates sent without the number their records are named by are listed as left behind, saying why', async () => {
  const server = await jsonServer(({ method, url, body }) => {
    if (method === 'POST' && url.pathname === '/accounts') {
      const name = (body as { name?: unknown } | undefined)?.name;
      return typeof name === 'string' ? { status: 200, body: { name } } : { status: 400 };
    }
    return { status: 404 };
  });
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/others-records-sent-number.yaml',
      '--base-url',
      server.url,
      '--seed',
      '7',
      '--live',
    ]);
    const reasons = new Set(run.report?.cleanup?.leftovers.map((l) => l.reason));
    expect([...reasons], run.describe()).toContain(
      'created: it was sent without the key its record is named by, so it was not deleted',
    );
  } finally {
    await server.close();
  }
});

it('--live: a change naming no record of the run (a singleton, an action on whatever it finds) is held back', async () => {
  const stdout = await liveDryRun('others-records-unbound-actions.yaml');
  const sent = stdout.split('\n').filter((line) => /^\s+(POST|PUT|PATCH|DELETE) /.test(line));
  // Only the run's own contacts are made, and its contact merged with no other; nothing else changes.
  const merges = sent.filter((line) => line.includes('/merge '));
  expect(merges.length).toBeGreaterThan(0);
  // (a malformed JSON body, which no server reads, aside)
  expect(postsWith(merges.join('\n'), 'contacts').filter((line) => /"contacts":\["/.test(line))).toEqual([]);
  expect(
    sent.filter(
      (line) => !/^\s+POST https:\/\/api\.example\.com\/contacts( |\/\{createContact [^}]+\}\/merge )/.test(line),
    ),
  ).toEqual([]);
  expect(sent.length).toBeGreaterThan(0);
  for (const change of ['POST /contacts/query/delete', 'PUT /settings', 'POST /admin/reload', 'POST /contacts/purge'])
    expect(stdout).toContain(`${change} names no record the run made and makes none, so it may change others' records`);
  // An action on the run's contact that lists other contacts by a list named for the collection.
  expect(stdout).toMatch(/mergeContacts positive: .*POST names a record the run did not make by contacts in its body/);
});
