/**
 * Records named by a key their create sends and its answer echoes (`POST /lists` with `address`,
 * `GET|PUT|DELETE /lists/{list_address}`), where an update sending another `address` renames the
 * record. The runner goes against a real node:http server keeping lists by address (forms read as
 * servers read them), a lenient one, and the mock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { localServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/key-sent-by-create.yaml';

interface Target {
  baseUrl: string;
  /** The lists held, by address. */
  lists: Map<string, { address: string; name: string }>;
  /** Every address a list was ever made or renamed to. */
  made: Set<string>;
  contacts: Map<string, { id: string; address: string }>;
  close(): Promise<void>;
}

type Answer = { status: number; json?: unknown };

const message = (status: number, text: string): Answer => ({ status, json: { message: text } });

/**
 * What the fixture documents: lists kept by their address, 400 for an invalid form or a taken
 * address, 404 for an unknown one. `lenient` takes any update's `address`, even one too short.
 */
async function serve(lenient = false): Promise<Target> {
  const lists = new Map<string, { address: string; name: string }>();
  const made = new Set<string>();
  const contacts = new Map<string, { id: string; address: string }>();
  let count = 0;
  const valid = (address: string | undefined, partial: boolean) =>
    address === undefined ? partial : address.length >= 3 && address.length <= 60;
  // Contacts are named by the id the server makes, whatever postal address they are sent.
  const contact = (method: string, path: string, contentType: string, text: string): Answer => {
    if (path === '/contacts' && method === 'POST') {
      let body: unknown;
      try {
        body = contentType.startsWith('application/json') ? JSON.parse(text) : undefined;
      } catch {}
      const address = (body as { address?: unknown } | undefined)?.address;
      if (typeof address !== 'string' || address.length < 3 || address.length > 60) return message(400, 'invalid');
      const made = { id: `c${++count}`, address };
      contacts.set(made.id, made);
      return { status: 201, json: made };
    }
    const id = decodeURIComponent(/^\/contacts\/([^/]+)$/.exec(path)?.[1] ?? '');
    const found = contacts.get(id);
    if (!found || (method !== 'GET' && method !== 'DELETE')) return message(404, 'no such contact');
    if (method === 'GET') return { status: 200, json: found };
    contacts.delete(id);
    return { status: 204 };
  };
  const answer = (method: string, path: string, contentType: string, text: string): Answer => {
    const form = contentType.startsWith('application/x-www-form-urlencoded');
    const fields = new URLSearchParams(form ? text : '');
    const address = fields.get('address') ?? undefined;
    const name = fields.get('name') ?? undefined;
    const shape = (partial: boolean) =>
      (text === '' || form) &&
      (valid(address, partial) || (lenient && partial)) &&
      (name === undefined || name.length <= 40);
    if (path.startsWith('/contacts')) return contact(method, path, contentType, text);
    if (path === '/lists' && method === 'POST') {
      if (!form || !shape(false) || address === undefined) return message(400, 'invalid');
      if (lists.has(address)) return message(400, 'address taken');
      const list = { address, name: name ?? '' };
      lists.set(address, list);
      made.add(address);
      return { status: 200, json: { list, message: 'made' } };
    }
    const named = /^\/lists\/([^/]+)$/.exec(path)?.[1];
    if (named === undefined) return message(404, 'no such page');
    const key = decodeURIComponent(named);
    const list = lists.get(key);
    if (method === 'GET') return list ? { status: 200, json: { list } } : message(404, 'no such list');
    if (method === 'DELETE') {
      if (!list) return message(404, 'no such list');
      lists.delete(key);
      return { status: 200, json: { address: key, message: 'deleted' } };
    }
    if (method !== 'PUT') return message(404, 'no such page');
    if (!shape(true)) return message(400, 'invalid');
    if (!list) return message(404, 'no such list');
    if (address !== undefined && address !== key) {
      if (lists.has(address)) return message(400, 'address taken');
      lists.delete(key);
      list.address = address;
      lists.set(address, list);
      made.add(address);
    }
    if (name !== undefined) list.name = name;
    return { status: 200, json: { list, message: 'updated' } };
  };
  const target = await localServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://x');
      const reply = answer(request.method ?? 'GET', url.pathname, request.headers['content-type'] ?? '', text);
      if (reply.json === undefined) response.writeHead(reply.status).end();
      else response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
    });
  });
  return { baseUrl: target.url, lists, contacts, made, close: target.close };
}

const run = (baseUrl: string, ...more: string[]) =>
  runConformance(['--spec', FIXTURE, '--base-url', baseUrl, '--seed', '7', '--max-cases', '60', ...more]);

describe('a record named by the key its create sends', () => {
  describe('a correct server', () => {
    let target: Target;
    beforeAll(async () => {
      target = await serve();
    });
    afterAll(() => target?.close());

    it('passes: an update sends the path key, so no case renames the record it names; the cleanup leaves nothing', async () => {
      const result = await run(target.baseUrl, '--cleanup');
      expectFailures(result, []);
      const operations = result.report?.operations;
      for (const id of ['getList', 'updateList', 'deleteList'])
        expect(
          operations?.[id]?.checks.resource_availability?.passed,
          `${id}\n${summarize(result.report)}`,
        ).toBeGreaterThan(0);
      expect(target.made.size).toBeGreaterThan(0);
      expect([...target.lists.keys()]).toEqual([]);
      expect([...target.contacts.keys()]).toEqual([]);
      expect(result.report?.cleanup?.leftovers).toEqual([]);
    });
  });

  describe('--live, a correct server', () => {
    let target: Target;
    beforeAll(async () => {
      target = await serve();
    });
    afterAll(() => target?.close());

    it('sends the creates: the key is a text the run stamps its own, not a record of someone else; the cleanup leaves nothing', async () => {
      const result = await run(target.baseUrl, '--live');
      expectFailures(result, []);
      const reasons = (result.report?.notSentBy ?? []).map((n) => `${n.operationId}: ${n.reason}`);
      expect(
        reasons.filter((reason) => reason.includes('did not make')),
        reasons.join('\n'),
      ).toEqual([]);
      const operations = result.report?.operations;
      for (const id of ['createList', 'getList', 'updateList', 'deleteList'])
        expect(operations?.[id]?.checks.positive_data_accepted?.passed, `${id}\n${reasons.join('\n')}`).toBeGreaterThan(
          0,
        );
      expect(target.made.size).toBeGreaterThan(0);
      expect([...target.lists.keys()]).toEqual([]);
      expect([...target.contacts.keys()]).toEqual([]);
      expect(result.report?.cleanup?.leftovers).toEqual([]);
    });
  });

  describe('a server renaming a record by an update the document says to refuse', () => {
    let target: Target;
    beforeAll(async () => {
      target = await serve(true);
    });
    afterAll(() => target?.close());

    it('is flagged for taking the invalid update, and the cleanup lists what it renamed as left behind, not deleted', async () => {
      const result = await run(target.baseUrl, '--cleanup');
      expectFailures(result, ['negative_data_rejected updateList']);
      const left = result.report?.cleanup?.leftovers ?? [];
      // Each list the server still holds was made by the run and renamed by one of its updates.
      expect(target.lists.size, summarize(result.report)).toBeGreaterThan(0);
      expect(left).toHaveLength(target.lists.size);
      for (const leftover of left) {
        expect(leftover.operationId).toBe('createList');
        expect(leftover.reason).toMatch(
          /^deleteList answered 404, and updateList accepted address ".*" for it: it may remain under that$/,
        );
      }
      expect(result.stdout).toContain(`${left.length} left behind`);
    });
  });

  describe('the mock', () => {
    let mock: RunningMock;
    let baseUrl: string;
    beforeAll(async () => {
      mock = await startMock({ port: 0, specFiles: [FIXTURE] });
      baseUrl = mock.apis[0]!.baseUrl;
    });
    afterAll(() => mock?.close());

    const form = (fields: Record<string, string>) => ({
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    it('keeps a record under the key the client sent: reads find it, a second create of it is the same record', async () => {
      const first = await fetch(`${baseUrl}/lists`, {
        method: 'POST',
        ...form({ address: 'devs@lists.test', name: 'Devs' }),
      });
      expect(first.status).toBe(200);
      expect(((await first.json()) as { list: unknown }).list).toEqual({ address: 'devs@lists.test', name: 'Devs' });
      const again = await fetch(`${baseUrl}/lists`, {
        method: 'POST',
        ...form({ address: 'devs@lists.test', name: 'Two' }),
      });
      expect(((await again.json()) as { list: { address: string } }).list.address).toBe('devs@lists.test');
      const read = await fetch(`${baseUrl}/lists/devs%40lists.test`);
      expect(read.status).toBe(200);
      expect(((await read.json()) as { list: unknown }).list).toEqual({ address: 'devs@lists.test', name: 'Two' });
      expect((await fetch(`${baseUrl}/lists/1`)).status).toBe(404);
      expect((await fetch(`${baseUrl}/lists/devs%40lists.test`, { method: 'DELETE' })).status).toBe(200);
      expect((await fetch(`${baseUrl}/lists/devs%40lists.test`)).status).toBe(404);
    });

    it('a postal address its item path does not name the record by is kept as sent, beside the id the mock makes', async () => {
      const made = await fetch(`${baseUrl}/contacts`, {
        method: 'POST',
        body: JSON.stringify({ address: '1 Main Street' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(made.status).toBe(201);
      const contact = (await made.json()) as { id: string; address: string };
      expect(contact.address).toBe('1 Main Street');
      expect(contact.id).not.toBe('1 Main Street');
      expect((await fetch(`${baseUrl}/contacts/${encodeURIComponent(contact.id)}`)).status).toBe(200);
    });

    it('the runner passes against it', async () => {
      expectFailures(await run(baseUrl), []);
    });
  });
});
