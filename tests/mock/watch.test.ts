/**
 * `--watch` on temporary copies of two specs: a change is served without a restart, a broken edit
 * keeps the previous version and says where it broke, and state survives where it still fits.
 * Every wait is on the watcher's own reload event (or the CLI's printed line), never on a delay.
 * Files are replaced by rename, as many editors save, so no reload ever sees a half-written file.
 */
import { EventEmitter, once } from 'node:events';
import { copyFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { main } from '../../mocks/cli.js';
import { type ReloadEvent, type RunningMock, startMock } from '../../mocks/server.js';
import { ROOT } from '../support-specs/specs.js';

const BIGCHANGE = 'bigchange-contact-groups.yaml';
const EASIFY = 'easify-contact-groups.yaml';

let dir: string;
const cleanups: (() => Promise<unknown>)[] = [];

async function copies(): Promise<string> {
  const target = await mkdtemp(join(tmpdir(), 'mock-watch-'));
  for (const name of [BIGCHANGE, EASIFY]) await copyFile(join(ROOT, 'specs', name), join(target, name));
  cleanups.push(() => rm(target, { recursive: true, force: true }));
  return target;
}

/** Replaces a spec file whole, the way an editor that saves by rename does. */
async function replace(file: string, text: string): Promise<void> {
  const temporary = `${file}.saving`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

async function edit(file: string, change: (document: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const document = parseDocument(await readFile(file, 'utf8'));
  change(document);
  await replace(file, document.toString({ lineWidth: 0 }));
}

/** Reload events of one mock, awaited by API: register before the change, await after it. */
class Reloads extends EventEmitter {
  readonly onReload = (event: ReloadEvent): void => {
    this.emit(event.api, event);
  };

  async next(api: string, change: () => Promise<void>): Promise<ReloadEvent> {
    const event = once(this, api) as Promise<[ReloadEvent]>;
    await change();
    return (await event)[0];
  }
}

async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: unknown }> {
  const response = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: {
      authorization: 'Bearer watch-token',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text ? (JSON.parse(text) as unknown) : undefined };
}

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('startMock({ watch })', () => {
  let mock: RunningMock;
  const reloads = new Reloads();
  let easify: string;
  let bigchange: string;
  const easifyFile = () => join(dir, EASIFY);
  const bigchangeFile = () => join(dir, BIGCHANGE);
  const groupsOf = async () =>
    ((await call(`${easify}/contact-groups`)).json as { message: string; data: { name: string }[] }) ?? {};
  const state = async () => (await call(`${mock.url}/__mock/state`)).json as Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    dir = await copies();
    mock = await startMock({ port: 0, specsDir: dir, rateLimit: false, watch: { onReload: reloads.onReload } });
    cleanups.push(() => mock.close());
    easify = mock.apis.find((api) => api.name === 'easify')!.baseUrl;
    bigchange = mock.apis.find((api) => api.name === 'bigchange')!.baseUrl;
  });

  it('serves a changed example without a restart; the API keeps its records and its id counter', async () => {
    expect((await call(`${easify}/contact-groups/create`, { method: 'POST', body: { name: 'Kept' } })).status).toBe(
      200,
    );
    expect((await groupsOf()).message).toBe('Contact Groups');

    const event = await reloads.next('easify', () =>
      edit(easifyFile(), (document) => {
        document.setIn(
          [
            'paths',
            '/contact-groups',
            'get',
            'responses',
            '200',
            'content',
            'application/json',
            'examples',
            'page-two',
            'value',
            'message',
          ],
          'Contact Groups (edited)',
        );
      }),
    );
    expect(event).toMatchObject({ kind: 'reloaded', api: 'easify', kept: ['contactGroups'], dropped: [] });

    const groups = await groupsOf();
    expect(groups.message).toBe('Contact Groups (edited)');
    // Newest first, as Easify lists by default.
    expect(groups.data.map((group) => group.name)).toEqual(['Kept', 'Default']);
    const next = await call(`${easify}/contact-groups/create`, { method: 'POST', body: { name: 'After' } });
    expect((next.json as { data: { id: number } }).data.id).toBe(3);
    // The unique index is rebuilt on the new version: a stored name is still taken.
    expect((await call(`${easify}/contact-groups/create`, { method: 'POST', body: { name: 'Kept' } })).status).toBe(
      422,
    );
  });

  it('serves an added operation; the other API is not touched', async () => {
    const created = await call(`${bigchange}/v1/contactGroups`, {
      method: 'POST',
      body: { name: 'Engineers' },
      headers: { 'customer-id': '14532' },
    });
    expect(created.status).toBe(201);
    const easifyBefore = (await state()).easify;
    expect((await call(`${bigchange}/v1/ping`)).status).toBe(404);

    const event = await reloads.next('bigchange', () =>
      edit(bigchangeFile(), (document) => {
        document.setIn(['paths', '/v1/ping'], {
          get: {
            operationId: 'ping',
            summary: 'Added while the mock runs',
            responses: {
              '200': {
                description: 'Alive',
                content: {
                  'application/json': {
                    schema: { type: 'object', properties: { pong: { type: 'boolean' } } },
                    examples: { pong: { value: { pong: true } } },
                  },
                },
              },
            },
          },
        });
      }),
    );
    expect(event).toMatchObject({ kind: 'reloaded', api: 'bigchange', kept: ['contactGroups'] });
    expect(await call(`${bigchange}/v1/ping`)).toEqual({ status: 200, json: { pong: true } });
    // The reference page reads the version now served.
    const document = (await call(`${mock.url}/__docs/bigchange/openapi.json`)).json as { paths: object };
    expect(Object.keys(document.paths)).toContain('/v1/ping');
    expect((await state()).easify).toEqual(easifyBefore);
    expect((await state()).bigchange).toMatchObject({ contactGroups: [{ name: 'Engineers' }] });
  });

  it('keeps the previous version when an edit does not load, says where, and takes the fixed one', async () => {
    const good = await readFile(easifyFile(), 'utf8');
    const lines = good.split('\n');
    const title = lines.findIndex((line) => line.startsWith('  title: '));
    lines[title] = '  title: Easify: broken: here';
    const recordsBefore = (await state()).easify;

    const failed = await reloads.next('easify', () => replace(easifyFile(), lines.join('\n')));
    expect(failed.kind).toBe('failed');
    expect(failed.kind === 'failed' && failed.message).toBe(
      `${easifyFile()}:${title + 1}:10: invalid YAML: Nested mappings are not allowed in compact mappings`,
    );
    // Still the edited version of the first test, with its records.
    expect((await groupsOf()).message).toBe('Contact Groups (edited)');
    expect((await state()).easify).toEqual(recordsBefore);

    const fixed = await reloads.next('easify', () => replace(easifyFile(), good.replace('(edited)', '(fixed)')));
    expect(fixed).toMatchObject({ kind: 'reloaded', kept: ['contactGroups'] });
    expect((await groupsOf()).message).toBe('Contact Groups (fixed)');
  });

  it('keeps the previous version when the document loads but is no usable spec', async () => {
    const good = await readFile(easifyFile(), 'utf8');
    const failed = await reloads.next('easify', () =>
      edit(easifyFile(), (document) => {
        document.setIn(['paths', '/contact-groups', 'get', 'x-resource', 'action'], 'destroy');
      }),
    );
    expect(failed).toMatchObject({ kind: 'failed' });
    expect(failed.kind === 'failed' && failed.message).toMatch(/x-resource: "action" must be one of create, /);
    expect((await groupsOf()).message).toBe('Contact Groups (fixed)');
    await reloads.next('easify', () => replace(easifyFile(), good));
  });

  it('lets go of a collection the new version describes otherwise, and keeps the rest', async () => {
    const contact = await call(`${easify}/contacts/create`, {
      method: 'POST',
      body: { first_name: 'Ada', email_address: 'ada@example.com', group_id: 1 },
    });
    expect(contact.status).toBe(200);
    expect(Object.keys((await state()).easify!)).toContain('contacts');

    const event = await reloads.next('easify', () =>
      edit(easifyFile(), (document) => {
        for (const [path, method] of [
          ['/contacts', 'get'],
          ['/contacts/create', 'post'],
          ['/contacts/update', 'patch'],
          ['/contacts/delete', 'delete'],
        ] as const)
          document.setIn(['paths', path, method, 'x-resource', 'collection'], 'people');
      }),
    );
    expect(event).toMatchObject({ kind: 'reloaded', kept: ['contactGroups'], dropped: ['contacts'] });
    const after = (await state()).easify!;
    expect(after.contacts).toBeUndefined();
    expect((after.contactGroups as { name: string }[]).map((group) => group.name)).toContain('Kept');
    const listed = await call(`${easify}/contacts`);
    expect((listed.json as { data: unknown[] }).data).toEqual([]);
  });
});

describe('rate-limit windows', () => {
  it('carry over a reload that keeps the same limit', async () => {
    const target = await copies();
    const reloads = new Reloads();
    const file = join(target, EASIFY);
    const mock = await startMock({
      port: 0,
      specFiles: [file],
      rateLimit: { limit: 2, period: 600 },
      watch: { onReload: reloads.onReload },
    });
    try {
      const create = (name: string) =>
        call(`${mock.apis[0]!.baseUrl}/contact-groups/create`, { method: 'POST', body: { name } });
      expect((await create('one')).status).toBe(200);
      expect((await create('two')).status).toBe(200);
      const text = await readFile(file, 'utf8');
      await reloads.next('easify', () => replace(file, text.replace('Contact Group created successfully', 'Made')));
      expect((await create('three')).status).toBe(429);
    } finally {
      await mock.close();
    }
  });
});

describe('the CLI', () => {
  const streams = new EventEmitter();
  let stdout = '';
  let stderr = '';
  let mock: RunningMock | undefined;
  afterEach(async () => {
    await mock?.close();
  });

  it('prints each API reference page beside its base URL, and one line per reload or broken edit', async () => {
    const target = await copies();
    const result = await main(['--port', '0', '--watch', '--rate-limit', 'off', '--specs', target], {
      stdout: (text) => {
        stdout += text;
        streams.emit('stdout', text);
      },
      stderr: (text) => {
        stderr += text;
        streams.emit('stderr', text);
      },
      env: {},
      cwd: target,
    });
    expect(result.exitCode).toBe(0);
    mock = result.mock!;
    const url = mock.url;
    expect(stdout).toContain(`${BIGCHANGE}  ${url}/bigchange      ${url}/__docs/bigchange\n`);
    expect(stdout).toContain(`${EASIFY}     ${url}/easify/api/v2  ${url}/__docs/easify\n`);
    expect(stdout).toContain(`Every API's reference page: ${url}/__docs;`);
    expect(stdout).toContain('watching spec files');
    const docs = await request(`${url}/__docs/easify`);
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    await docs.body.dump();

    const file = join(target, EASIFY);
    const good = await readFile(file, 'utf8');
    const printed = once(streams, 'stderr') as Promise<[string]>;
    const lines = good.split('\n');
    const title = lines.findIndex((text) => text.startsWith('  title: '));
    lines[title] = '  title: Easify: broken: here';
    await replace(file, lines.join('\n'));
    const [line] = await printed;
    const shown = relative(target, file);
    expect(line).toBe(
      `contact-mock: ${shown}:${title + 1}:10: invalid YAML: Nested mappings are not allowed in compact mappings ` +
        `(still serving the previous version of ${shown})\n`,
    );
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);

    const reloaded = once(streams, 'stdout') as Promise<[string]>;
    await replace(file, good);
    expect((await reloaded)[0]).toBe(
      `reloaded ${EASIFY} (/easify): 8 operations\n`, // nothing was stored, so no state to speak of
    );
  });
});
