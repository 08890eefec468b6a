/**
 * Form bodies as servers read them: a required form of optional fields, which an empty body does not
 * fill, and a multipart body whose schema is the file it uploads rather than the fields carrying it.
 * The runner goes against a real node:http server that reads forms as servers do and against the
 * mock, and the mock is asked by hand over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { localServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURES = 'tests/fixtures/openapi';
const OPTIONAL_FIELDS = `${FIXTURES}/form-optional-fields.yaml`;
const FILE_SCHEMA = `${FIXTURES}/multipart-file-schema.yaml`;

/** What a request carried, as the server read it: its fields, or why it is no form. */
interface Seen {
  method: string;
  path: string;
  fields: [string, string | File][];
  malformed?: string;
}

interface Target {
  baseUrl: string;
  seen: Seen[];
  close(): Promise<void>;
}

type Answer = { status: number; json?: unknown; html?: string };

/** The fields of a body as a server's form parser reads them (undici's, for multipart). */
async function readForm(bytes: Buffer, contentType: string): Promise<[string, string | File][]> {
  if (bytes.length === 0) return [];
  if (contentType.startsWith('application/x-www-form-urlencoded'))
    return [...new URLSearchParams(bytes.toString('utf8'))];
  const request = new Request('http://form.invalid/', {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': contentType },
  });
  return [...(await request.formData())];
}

async function serve(answer: (seen: Seen, contentType: string) => Answer): Promise<Target> {
  const seen: Seen[] = [];
  const target = await localServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const contentType = request.headers['content-type'] ?? '';
      const one: Seen = {
        method: request.method ?? 'GET',
        path: new URL(request.url ?? '/', 'http://x').pathname,
        fields: [],
      };
      try {
        one.fields = await readForm(Buffer.concat(chunks), contentType);
      } catch (error) {
        one.malformed = (error as Error).message;
      }
      seen.push(one);
      const reply = answer(one, contentType);
      if (reply.json !== undefined) {
        response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
      } else response.writeHead(reply.status, { 'content-type': 'text/html' }).end(reply.html ?? '');
    });
  });
  return { baseUrl: target.url, seen, close: target.close };
}

const INVALID: Answer = { status: 400, json: { message: 'invalid' } };

const runFixture = (fixture: string, baseUrl: string) =>
  runConformance(['--spec', fixture, '--base-url', baseUrl, '--seed', '7', '--max-cases', '40']);

/** A mock of one fixture, on a free port. */
async function mockOf(fixture: string): Promise<{ mock: RunningMock; baseUrl: string }> {
  const mock = await startMock({ port: 0, specFiles: [fixture] });
  return { mock, baseUrl: mock.apis[0]!.baseUrl };
}

describe('a required form body none of whose fields is required', () => {
  let target: Target;
  beforeAll(async () => {
    // A preview server: any form of at least one field renders; an empty one, or another type, is refused.
    target = await serve((seen, contentType) => {
      const type =
        seen.path === '/renders'
          ? 'multipart/form-data'
          : seen.path === '/previews' || seen.path === '/notes'
            ? 'application/x-www-form-urlencoded'
            : undefined;
      if (type === undefined || seen.method !== 'POST') return { status: 404, json: { message: 'no such page' } };
      if (!contentType.startsWith(type) || seen.malformed !== undefined || seen.fields.length === 0) return INVALID;
      return { status: 200, html: '<p>preview</p>' };
    });
  });
  afterAll(() => target?.close());

  it('is never sent empty as a valid request: a correct server passes', async () => {
    const run = await runFixture(OPTIONAL_FIELDS, target.baseUrl);
    expectFailures(run, []);
    const operations = run.report?.operations;
    expect(operations?.previewTemplate?.checks.positive_data_accepted?.passed, summarize(run.report)).toBeGreaterThan(
      0,
    );
    expect(operations?.renderTemplate?.checks.positive_data_accepted?.passed, summarize(run.report)).toBeGreaterThan(0);
    // A form that declares no field has no valid body to send: only the cases that must be refused go.
    expect(operations?.postNote?.checks.positive_data_accepted?.passed ?? 0).toBe(0);
    expect(operations?.postNote?.checks.negative_data_rejected?.passed).toBeGreaterThan(0);
    // The one empty form of each is the negative "empty body".
    for (const path of ['/previews', '/renders', '/notes']) {
      const empty = target.seen.filter((seen) => seen.path === path && seen.fields.length === 0 && !seen.malformed);
      expect(empty, path).toHaveLength(1);
    }
  });

  describe('against the mock', () => {
    let mock: RunningMock;
    let baseUrl: string;
    beforeAll(async () => {
      ({ mock, baseUrl } = await mockOf(OPTIONAL_FIELDS));
    });
    afterAll(() => mock?.close());

    it('the runner passes', async () => {
      const run = await runFixture(OPTIONAL_FIELDS, baseUrl);
      expectFailures(run, []);
      expect(run.report?.operations.renderTemplate?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    });

    it('refuses a form of no field, multipart as urlencoded, and takes one of any field', async () => {
      const post = (path: string, body: string, contentType: string) =>
        fetch(`${baseUrl}${path}`, { method: 'POST', body, headers: { 'content-type': contentType } });
      expect((await post('/previews', '', 'application/x-www-form-urlencoded')).status).toBe(400);
      expect((await post('/renders', '--b--\r\n', 'multipart/form-data; boundary=b')).status).toBe(400);
      const form = new FormData();
      form.set('body', 'Hello {{ .Name }}');
      const filled = await fetch(`${baseUrl}/renders`, { method: 'POST', body: form });
      expect(filled.status).toBe(200);
      expect(await filled.text()).toBe('<p>preview</p>');
      expect((await post('/previews', 'body=hi', 'application/x-www-form-urlencoded')).status).toBe(200);
    });
  });
});

describe('a multipart body whose schema is the file it uploads', () => {
  const REASON =
    'its body is multipart/form-data whose schema is a string, not an object of fields: the runner cannot write it as a form';
  const SKIPPED = [
    { operationId: 'uploadMedia', reason: REASON },
    { operationId: 'putAvatar', reason: REASON },
  ];

  let target: Target;
  beforeAll(async () => {
    // An upload server: a multipart body with a file part named `file` is stored, anything else refused.
    let made = 0;
    target = await serve((seen, contentType) => {
      if (seen.method === 'GET' && seen.path === '/media') return { status: 200, json: { data: [] } };
      if (!(seen.method === 'POST' && seen.path === '/media') && !(seen.method === 'PUT' && seen.path === '/avatars'))
        return { status: 404, json: { message: 'no such page' } };
      const file = seen.fields.find(([name, value]) => name === 'file' && typeof value !== 'string')?.[1];
      if (!contentType.startsWith('multipart/form-data') || !(file instanceof File)) return INVALID;
      return { status: 200, json: { data: { id: ++made, filename: file.name } } };
    });
  });
  afterAll(() => target?.close());

  it('is not written as fields: its operations are listed as not tested, with the reason; a correct server passes', async () => {
    const run = await runFixture(FILE_SCHEMA, target.baseUrl);
    expectFailures(run, []);
    expect(run.report?.skippedOperations).toEqual(SKIPPED);
    expect(run.report?.operations.listMedia?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(target.seen.length).toBeGreaterThan(0);
    expect(target.seen.filter((seen) => seen.method !== 'GET')).toEqual([]);
  });

  describe('against the mock', () => {
    let mock: RunningMock;
    let baseUrl: string;
    beforeAll(async () => {
      ({ mock, baseUrl } = await mockOf(FILE_SCHEMA));
    });
    afterAll(() => mock?.close());

    it('the runner passes, the uploads listed as not tested', async () => {
      const run = await runFixture(FILE_SCHEMA, baseUrl);
      expectFailures(run, []);
      expect(run.report?.skippedOperations).toEqual(SKIPPED);
    });

    it('takes a real upload, and refuses a malformed or a missing required one', async () => {
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
      const upload = (method: string, path: string): Promise<Response> => {
        const form = new FormData();
        form.set('file', new Blob([png], { type: 'image/png' }), 'logo.png');
        return fetch(`${baseUrl}${path}`, { method, body: form });
      };
      const posted = await upload('POST', '/media');
      expect(posted.status, await posted.clone().text()).toBe(200);
      expect(await posted.json()).toMatchObject({ data: { id: expect.any(Number) } });
      expect((await upload('PUT', '/avatars')).status).toBe(200);
      const malformed = await fetch(`${baseUrl}/media`, {
        method: 'POST',
        body: '--a\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n--a--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      });
      expect(malformed.status).toBe(400);
      expect((await fetch(`${baseUrl}/avatars`, { method: 'PUT' })).status).toBe(400);
      const noPart = await fetch(`${baseUrl}/avatars`, {
        method: 'PUT',
        body: '--b--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      });
      expect(noPart.status).toBe(400);
    });
  });
});
