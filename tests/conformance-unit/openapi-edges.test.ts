/**
 * Documents the runner must cope with though they bend what a generator or a validator expects.
 * Each runs in process against a real node:http server on 127.0.0.1 that records what it is sent.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCurl } from '../../conformance/curl.js';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { localServer } from '../support/local-server.js';
import { expectFailures, runConformance, STACK_FRAME, summarize } from '../support/runner.js';

const FIXTURES = 'tests/fixtures/openapi';

interface Target {
  baseUrl: string;
  /** `METHOD url` of every request, as the server read them. */
  seen: string[];
  close(): Promise<void>;
}

/** The runner on a fixture of tests/fixtures/openapi against a base URL, with further arguments. */
const runFixture = (fixture: string, baseUrl: string, ...more: string[]) =>
  runConformance(['--spec', `${FIXTURES}/${fixture}`, '--base-url', baseUrl, ...more]);

/** A request body labelled JSON, parsed; undefined for any other body or one that is not JSON. */
function jsonOf(text: string, contentType: string): unknown {
  if (contentType !== 'application/json') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string>; text?: string };

async function serve(
  answer: (method: string, url: URL, body: string, contentType: string, headers: IncomingHttpHeaders) => Answer,
): Promise<Target> {
  const seen: string[] = [];
  const target = await localServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      seen.push(`${request.method} ${request.url}`);
      const url = new URL(request.url ?? '/', 'http://localhost');
      const reply = answer(request.method ?? 'GET', url, text, request.headers['content-type'] ?? '', request.headers);
      const json = reply.body !== undefined;
      response.writeHead(reply.status, { ...reply.headers, ...(json ? { 'content-type': 'application/json' } : {}) });
      response.end(json ? JSON.stringify(reply.body) : reply.text);
    });
  });
  return { baseUrl: target.url, seen, close: target.close };
}

describe('a path key with a # suffix', () => {
  let target: Target;
  beforeAll(async () => {
    target = await serve((method, url) => {
      if (!/^\/files\/[^/]+$/.test(url.pathname)) return { status: 404 };
      const fields = url.searchParams.get('fields');
      if (method === 'GET' && fields === null) return { status: 200, body: { type: 'file' } };
      return fields === 'shared_link' ? { status: 200, body: { shared_link: 'https://x' } } : { status: 400 };
    });
  });
  afterAll(() => target?.close());

  it('is sent to the path without the suffix, its query after the path', async () => {
    const run = await runFixture(
      'fragment-path.yaml',
      target.baseUrl,
      '--operation',
      'getSharedLink',
      '--no-random',
      '--seed',
      '7',
    );
    expect(run.code, run.describe()).toBe(0);
    expect(run.report?.summary.failed, summarize(run.report)).toBe(0);
    expect(target.seen).toContainEqual(expect.stringMatching(/^GET \/files\/[^/?#%]+\?fields=shared_link$/));
    for (const line of target.seen) expect(line).not.toMatch(/#|%23/);
  });

  it('replays as a curl line with the query on the wire', async () => {
    const failing = await serve(() => ({ status: 500 }));
    try {
      const run = await runFixture(
        'fragment-path.yaml',
        failing.baseUrl,
        '--operation',
        'getSharedLink',
        '--no-random',
      );
      expect(run.code, run.describe()).toBe(1);
      const curls = run.report?.failures.map((f) => f.curl) ?? [];
      expect(curls.length).toBeGreaterThan(0);
      for (const curl of curls) {
        expect(curl).toMatch(/'http:\/\/127\.0\.0\.1:\d+\/files\/[^/?#']+\?fields=[^#']*'/);
        expect(curl).not.toContain('#');
      }
      expect(run.stderr).not.toMatch(STACK_FRAME);
    } finally {
      await failing.close();
    }
  });
});

describe('a pattern with a word boundary', () => {
  const UUID = /^$|[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}/u;
  let target: Target;
  beforeAll(async () => {
    target = await serve((method, url, text) => {
      if (method === 'GET' && url.pathname.startsWith('/rules/'))
        return { status: 200, body: { cluster_uuid: '0123abcd-0000-4000-8000-0123456789ab' } };
      if (url.pathname !== '/rules') return { status: 404 };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { status: 400 };
      }
      const uuid = (body as { cluster_uuid?: unknown } | null)?.cluster_uuid;
      const valid = typeof uuid === 'string' && UUID.test(uuid);
      return { status: valid ? 201 : 400 };
    });
  });
  afterAll(() => target?.close());

  it('is generated from and the run completes', async () => {
    const run = await runFixture('boundary-pattern.yaml', target.baseUrl, '--seed', '7', '--max-cases', '30');
    expect(run.code, run.describe()).not.toBe(2);
    expect(run.stderr).not.toMatch(/internal error|not implemented/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.report?.operations.createRule?.cases, summarize(run.report)).toBeGreaterThan(0);
    // The server accepts exactly the values the pattern does: every valid body the run made matched it.
    expect(run.report?.operations.createRule?.checks.positive_data_accepted?.failed, summarize(run.report)).toBe(0);
    expect(run.report?.operations.createRule?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
  });
});

describe('a path key with a ? suffix', () => {
  let target: Target;
  beforeAll(async () => {
    // Beta features are asked for in the query: the answer says whether they were.
    target = await serve((method, url) => {
      if (method !== 'GET' || !/^\/responses\/[^/]+$/.test(url.pathname)) return { status: 404 };
      const include = url.searchParams.get('include');
      if (include !== null && include !== 'usage') return { status: 400 };
      return { status: 200, body: { beta: url.searchParams.get('beta') === 'true' } };
    });
  });
  afterAll(() => target?.close());

  it("is sent as the query, beside the operation's own parameters", async () => {
    const run = await runFixture('query-path.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, run.describe()).toBe(0);
    expect(run.report?.summary.failed, summarize(run.report)).toBe(0);
    expect(run.report?.operations.beta_getResponse?.checks.response_schema?.passed).toBeGreaterThan(0);
    expect(run.report?.operations.getResponse?.checks.response_schema?.passed).toBeGreaterThan(0);
    expect(target.seen.some((line) => /^GET \/responses\/[^?]+\?beta=true&include=usage$/.test(line))).toBe(true);
    expect(target.seen.every((line) => !line.includes('?beta=true?'))).toBe(true);
  });
});

describe('an operation documented by its redirect only', () => {
  let target: Target;
  beforeAll(async () => {
    target = await serve((method, url) => {
      const id = /^\/archives\/([^/]+)$/.exec(url.pathname)?.[1];
      if (method !== 'GET' || id === undefined || !/^-?\d+$/.test(id)) return { status: 404 };
      return { status: 302, headers: { location: `https://downloads.example.com/${id}.tar.gz?sig=abc` } };
    });
  });
  afterAll(() => target?.close());

  it('is accepted by its documented 302, and the 404s it documents raise no base-URL warning', async () => {
    const run = await runFixture('redirect-only.yaml', target.baseUrl, '--seed', '3');
    expect(run.code, run.describe()).toBe(0);
    const checks = run.report?.operations.downloadArchive?.checks;
    expect(checks?.positive_data_accepted?.passed, summarize(run.report)).toBeGreaterThan(0);
    expect(checks?.negative_data_rejected?.passed).toBeGreaterThan(0);
    expect(checks?.response_headers?.passed).toBeGreaterThan(0);
    expect(run.stdout).not.toContain('is the base URL right');
  });
});

describe('server-sent events', () => {
  const STREAM = { 'content-type': 'text/event-stream' };
  const serveStreams = (events: string, speech: string) =>
    serve((_method, url) => {
      if (url.pathname === '/events') return { status: 200, headers: STREAM, text: events };
      if (url.pathname === '/speech') return { status: 200, headers: STREAM, text: speech };
      return { status: 404 };
    });

  it('are read event by event, each as the event or as its data, whichever the schema describes', async () => {
    const target = await serveStreams(
      'event: tick\nid: 1\ndata: {"n":1}\n\n: a comment\nevent: tick\ndata: {"n":2}\n\n',
      'data: {"type":"speech.audio.delta","audio":"AAA"}\n\ndata: {"type":"speech.audio.done"}\n\n',
    );
    try {
      const run = await runFixture('event-stream.yaml', target.baseUrl);
      expect(run.code, run.describe()).toBe(0);
      expect(run.report?.operations.streamEvents?.checks.response_schema?.passed).toBeGreaterThan(0);
      expect(run.report?.operations.streamSpeech?.checks.response_schema?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  });

  it('an event that fits neither reading, and a body with no event at all, are flagged by response_schema', async () => {
    const target = await serveStreams(
      'event: tick\ndata: {"n":1}\n\nevent: tick\ndata: {"n":"two"}\n\n',
      '{"type":"speech.audio.done"}',
    );
    try {
      const run = await runFixture('event-stream.yaml', target.baseUrl);
      expect(run.code, run.describe()).toBe(1);
      const failures = run.report?.failures ?? [];
      expect(new Set(failures.map((f) => `${f.check} ${f.operationId}`))).toEqual(
        new Set(['response_schema streamEvents', 'response_schema streamSpeech']),
      );
      expect(run.stdout).toContain('event 2 of 2 does not match the 200 schema');
      expect(run.stdout).toContain('body is not a stream of server-sent events');
    } finally {
      await target.close();
    }
  });
});

describe('two path keys of one request path told apart by the body', () => {
  let target: Target;
  beforeAll(async () => {
    // Mistral's conversations: `stream: true` is the streamed operation's request, anything else with
    // `inputs` the other's; what neither takes is refused.
    target = await serve((method, url, text, contentType) => {
      if (method !== 'POST' || url.pathname !== '/conversations') return { status: 404 };
      if (contentType !== 'application/json') return { status: 422 };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { status: 422 };
      }
      if (
        !isObject(body) ||
        typeof body.inputs !== 'string' ||
        Object.keys(body).some((k) => k !== 'inputs' && k !== 'stream')
      )
        return { status: 422 };
      if (body.stream === true)
        return { status: 200, headers: { 'content-type': 'text/event-stream' }, text: 'data: "x"\n\n' };
      return body.stream === undefined || body.stream === false ? { status: 200, body: { id: 'c1' } } : { status: 422 };
    });
  });
  afterAll(() => target?.close());

  it('sends neither operation an invalid body the other one takes: a server doing what both say passes', async () => {
    const run = await runFixture('body-sibling.yaml', target.baseUrl, '--seed', '3');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.startConversation?.checks.negative_data_rejected?.passed).toBeGreaterThan(0);
    expect(run.report?.operations.startConversationStream?.checks.negative_data_rejected?.passed).toBeGreaterThan(0);
  });
});

describe('an empty enum', () => {
  let target: Target;
  beforeAll(async () => {
    // No value is in `enum: []`: a body is valid only without the property.
    target = await serve((method, url, text, contentType) => {
      if (method === 'GET' && url.pathname === '/ping') return { status: 200, body: {} };
      if (method !== 'PATCH' || !url.pathname.startsWith('/requests/')) return { status: 404 };
      if (contentType !== 'application/json') return { status: 400 };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return { status: 400 };
      }
      const valid = typeof body === 'object' && body !== null && !Array.isArray(body) && !('action' in body);
      return { status: valid ? 200 : 400 };
    });
  });
  afterAll(() => target?.close());

  it('is a property no value satisfies: the document is run, valid bodies leave it out', async () => {
    const run = await runFixture('empty-enum.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, run.describe()).toBe(0);
    expect(run.report?.summary.failed, summarize(run.report)).toBe(0);
    expect(run.report?.operations.actOnRequest?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(target.seen).toContain('GET /ping');
  });
});

it('a HEAD answer has no body and may leave out its Content-Type: nothing is failed for it; its curl asks with -I', async () => {
  const target = await serve((_method, url) =>
    ['0', '1'].includes(url.searchParams.get('verbose') ?? '') ? { status: 200, text: '' } : { status: 400, text: '' },
  );
  try {
    const run = await runFixture('head.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.pingHead?.checks.response_schema?.failed ?? 0).toBe(0);
    expect(target.seen.length).toBeGreaterThan(1);
  } finally {
    await target.close();
  }
  expect(toCurl({ method: 'HEAD', url: 'http://h/ping?verbose=1', headers: { accept: '*/*' } })).toBe(
    "curl -I 'http://h/ping?verbose=1' -H 'accept: */*'",
  );
});

it('a required byte or text body is written as such; one of a format the runner cannot make leaves its operation untested', async () => {
  const bodies: string[] = [];
  const server = await localServer((request, response) => {
    let text = '';
    request.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      bodies.push(`${request.method} ${request.url} ${request.headers['content-type']} ${text.length}`);
      const csv = request.url === '/import';
      const ok = csv
        ? request.headers['content-type'] === 'text/csv' && text.length >= 3
        : request.headers['content-type'] === 'application/octet-stream' && text.length > 0;
      if (csv && ok) return response.writeHead(202).end();
      response.writeHead(ok ? 200 : 400, ok ? {} : { 'content-type': 'application/json' });
      response.end(ok ? undefined : '{"message":"no body"}');
    });
  });
  try {
    const run = await runFixture('byte-body.yaml', server.url, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.putArchive?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(bodies.some((line) => /^PUT \/archive application\/octet-stream [1-9]/.test(line))).toBe(true);
    expect(bodies.filter((line) => line.startsWith('PUT /image') || line.startsWith('PUT /feed'))).toEqual([]);
    const csv = run.report?.operations.importCsv?.checks;
    expect(csv?.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(csv?.negative_data_rejected?.passed).toBeGreaterThan(0);
    expect(run.report?.skippedOperations).toEqual([
      {
        operationId: 'putImage',
        reason: 'its required body is application/x-tar, which the runner cannot write',
      },
      { operationId: 'putFeed', reason: 'its required body is text/xml, which the runner cannot write' },
    ]);
  } finally {
    await server.close();
  }
});

it('a body the runner cannot read (a raw stream) is not judged, an empty one needs no Content-Type; the wrong Content-Type is one the operation does not take', async () => {
  const target = await serve((_method, _url, body, contentType) =>
    contentType === 'text/plain' && body.length > 0
      ? {
          status: 200,
          text: '\u0001\u0000\u0000\u0005hello',
          headers: { 'content-type': 'application/vnd.example.raw-stream' },
        }
      : { status: 400, text: '' },
  );
  try {
    const run = await runFixture('stream-bodies.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const checks = run.report?.operations.postLogs?.checks;
    expect(checks?.response_schema?.passed ?? 0).toBe(0);
    expect(checks?.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(checks?.negative_data_rejected?.passed).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it("a parameter declared where the API key goes carries the run's key: no case writes another value there", async () => {
  const target = await serve((_method, url) => {
    if (!url.searchParams.get('api_key')?.startsWith('conformance-run-')) return { status: 401, text: '' };
    const limit = url.searchParams.get('limit');
    return limit === null || /^([1-9]|10)$/.test(limit) ? { status: 200, body: {} } : { status: 400, text: '' };
  });
  try {
    const run = await runFixture('key-parameter.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.listItems?.checks.positive_data_accepted?.passed).toBeGreaterThan(1);
  } finally {
    await target.close();
  }
});

it('a list header is read as its style writes it (1,2), and an item that breaks it still fails', async () => {
  for (const [pages, code] of [
    ['1,2', 0],
    ['1, x', 1],
  ] as const) {
    const target = await serve(() => ({ status: 200, body: {}, headers: { 'x-pages': pages } }));
    try {
      const run = await runFixture('list-header.yaml', target.baseUrl, '--seed', '7');
      expect(run.code, `${pages}: ${run.describe()}\n${summarize(run.report)}`).toBe(code);
      if (code === 1) expect(run.report?.failures.map((f) => f.check)).toEqual(['response_headers']);
    } finally {
      await target.close();
    }
  }
});

it('an id made up as one never created is not sent once a create returned it (ids 1 to 3)', async () => {
  const orders = new Set<number>();
  const target = await serve((method, url, body) => {
    if (method === 'POST') {
      let order: unknown;
      try {
        order = JSON.parse(body);
      } catch {
        return { status: 400, text: '' };
      }
      const integers = (o: Record<string, unknown>) =>
        ['id', 'quantity'].every((k) => o[k] === undefined || Number.isInteger(o[k]));
      if (!isObject(order) || !integers(order)) return { status: 400, text: '' };
      const id = orders.size + 1;
      orders.add(id);
      return { status: 200, body: { ...order, id } };
    }
    const id = url.pathname.split('/').pop() ?? '';
    if (!/^[1-3]$/.test(id)) return { status: 400, text: '' };
    return orders.has(Number(id)) ? { status: 200, body: { id: Number(id) } } : { status: 404, text: '' };
  });
  try {
    const run = await runFixture('bounded-id.yaml', target.baseUrl, '--seed', '7', '--max-cases', '10');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.notSentBy.map((n) => n.reason)).toContain(
      'the id 3, made up as one no create returned, was returned by a create of this run',
    );
  } finally {
    await target.close();
  }
});

it('a schema the draft refuses is named by file and pointer, exit 2 without a stack', async () => {
  const target = await serve(() => ({ status: 200, body: {} }));
  try {
    const run = await runFixture('meta-invalid.yaml', target.baseUrl);
    expect(run.code, run.describe()).toBe(2);
    expect(run.stderr).toBe(
      `conformance: ${FIXTURES}/meta-invalid.yaml: the schema at #/components/schemas/Node cannot be used: ` +
        'schema is invalid: schema/$comment must be string\n',
    );
    expect(target.seen, 'the spec is refused before anything is sent').toEqual([]);
  } finally {
    await target.close();
  }
});

describe("draft 2019-09's $recursiveAnchor and $recursiveRef", () => {
  let target: Target;
  const node = (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (!('name' in value) || typeof value.name === 'string') &&
    (!('children' in value) || (Array.isArray(value.children) && value.children.every(node)));
  beforeAll(async () => {
    // Accepts a string or a tree of nodes, however deep: what the schema says, read as its authors meant.
    target = await serve((method, url, text, contentType) => {
      if (method !== 'POST' || url.pathname !== '/items') return { status: 404 };
      let body: unknown;
      try {
        body = contentType === 'application/json' ? JSON.parse(text) : undefined;
      } catch {
        return { status: 400 };
      }
      return typeof body === 'string' || node(body)
        ? { status: 200, body: { name: 'a', children: [{}] } }
        : { status: 400 };
    });
  });
  afterAll(() => target?.close());

  it('are read as a recursion to the anchored schema: the document runs and a server that means it passes', async () => {
    const run = await runFixture('recursive-anchor.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, run.describe()).toBe(0);
    expect(run.report?.summary.failed, summarize(run.report)).toBe(0);
    const checks = run.report?.operations.createItem?.checks;
    expect(checks?.positive_data_accepted?.passed).toBeGreaterThan(0);
    expect(checks?.negative_data_rejected?.passed).toBeGreaterThan(0);
    expect(checks?.response_schema?.passed).toBeGreaterThan(0);
  });
});

describe('a response schema no validator can use', () => {
  let target: Target;
  beforeAll(async () => {
    target = await serve(() => ({ status: 200, body: { x: 'y' } }));
  });
  afterAll(() => target?.close());

  it('refuses the spec before any request, naming file and pointer: no verdict, no report', async () => {
    const run = await runFixture('bad-response-schema.yaml', target.baseUrl);
    expect(run.code, run.describe()).toBe(2);
    expect(run.stderr).toMatch(
      /^conformance: tests\/fixtures\/openapi\/bad-response-schema\.yaml: the schema at #\/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema cannot be used: schema is invalid: schema\/properties\/x\/type /,
    );
    expect(run.stdout).not.toContain('PASSED');
    expect(run.report).toBeUndefined();
    expect(target.seen).toEqual([]);
  });
});

describe('a required list in a form body', () => {
  it('is never sent empty as a valid request: a form writes nothing for it (the mock refuses what arrives)', async () => {
    const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/form-required-list.yaml`] });
    try {
      const run = await runConformance([
        '--spec',
        `${FIXTURES}/form-required-list.yaml`,
        '--base-url',
        mock.apis[0]!.baseUrl,
        '--seed',
        '3',
        '--max-cases',
        '20',
      ]);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.PostWebhookEndpoints?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });
});

describe('webhooks', () => {
  let target: Target;
  beforeAll(async () => {
    target = await serve((method, url) =>
      method === 'GET' && url.pathname === '/ping' ? { status: 200, body: {} } : { status: 404 },
    );
  });
  afterAll(() => target?.close());

  it('are not tested, and the summary and the JSON report say how many', async () => {
    const run = await runFixture('webhooks.yaml', target.baseUrl, '--seed', '3');
    expect(run.code, run.describe()).toBe(0);
    expect(run.stdout).toContain(
      "note: the document's 2 webhook operations are not tested: requests the API sends, not ones it answers",
    );
    expect(run.report?.webhooks).toBe(2);
    expect(target.seen.every((line) => line.startsWith('GET /ping'))).toBe(true);
  });
});

it("a nested collection's lifecycle lists the parent the record was created under, not its own example's", async () => {
  const notes = new Map<string, { id: string; body: string }[]>();
  let made = 0;
  const target = await serve((method, url, text) => {
    const parent = /^\/contacts\/([^/]+)\/notes$/.exec(url.pathname)?.[1];
    if (parent === undefined) return { status: 404, text: '' };
    if (method === 'GET') return { status: 200, body: { data: notes.get(parent) ?? [] } };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const note = { id: String(++made), body: String((body as { body?: unknown } | undefined)?.body ?? '') };
    notes.set(parent, [...(notes.get(parent) ?? []), note]);
    return { status: 200, body: note };
  });
  try {
    const run = await runFixture('nested-collection.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(target.seen).toContain('GET /contacts/123/notes');
  } finally {
    await target.close();
  }
});

it('a list paged by parameters no x-resource declares: a full page does not prove the created record missing', async () => {
  const things: { id: string; name: string }[] = [];
  const target = await serve((method, url, text, contentType) => {
    if (url.pathname !== '/things') return { status: 404, text: '' };
    if (method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 10);
      const size = Number.isInteger(limit) && limit > 0 ? limit : 10;
      const start = Number(url.searchParams.get('after') ?? 0) || 0;
      return { status: 200, body: { results: things.slice(start, start + size) } };
    }
    const body = jsonOf(text, contentType);
    const name = (body as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return { status: 400, text: '' };
    const thing = { id: String(things.length + 1), name };
    things.push(thing);
    return { status: 201, body: thing };
  });
  try {
    const run = await runFixture('undeclared-paging.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(things.length).toBeGreaterThan(10);
  } finally {
    await target.close();
  }
});

it("a full page without a deleted record does not prove it gone: the list's step is skipped, not passed", async () => {
  const things: { id: string; name: string }[] = [];
  const target = await serve((method, url, text, contentType) => {
    const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id !== undefined) {
      const at = things.findIndex((thing) => thing.id === id);
      if (at < 0) return { status: 404, text: '' };
      if (method !== 'DELETE') return { status: 200, body: things[at] };
      things.splice(at, 1);
      return { status: 204, text: '' };
    }
    if (method === 'GET') return { status: 200, body: { results: things.slice(0, 10) } };
    const name = (jsonOf(text, contentType) as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return { status: 400, text: '' };
    const thing = { id: `t${things.length + 1}-${name.length}`, name };
    things.push(thing);
    return { status: 201, body: thing };
  });
  try {
    const run = await runFixture('undeclared-paging-delete.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const listed = run.report?.operations.listThings?.checks.stateful_rules;
    expect(listed?.passed).toBe(0);
    expect(listed?.skipped).toBeGreaterThanOrEqual(2);
  } finally {
    await target.close();
  }
});

it('an empty body where a schema under */* is documented is judged: a 200 with nothing fails, naming the documented 204', async () => {
  for (const status of [204, 200]) {
    const target = await serve(() => ({ status, text: '' }));
    try {
      const run = await runFixture('default-any-media.yaml', target.baseUrl, '--seed', '7');
      const failures = run.report?.failures ?? [];
      if (status === 204) expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      else {
        expect(run.code, run.describe()).toBe(1);
        expect(new Set(failures.map((f) => f.check))).toEqual(new Set(['response_schema']));
        expect(failures[0]?.message).toBe(
          'empty body where the default schema is documented (200 is not the documented 204: only default covers it)',
        );
      }
    } finally {
      await target.close();
    }
  }
});

/** A contacts server keyed by email, under /v3: the item path names the contact by `key`'s value. */
function contactsByEmail(key: 'email' | 'phone') {
  const contacts = new Map<string, { id: number; email: string }>();
  return serve((method, url, text, contentType) => {
    if (method === 'POST' && url.pathname === '/v3/contacts') {
      const body = jsonOf(text, contentType);
      const email = (body as { email?: unknown } | null)?.email;
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) return { status: 400, text: '' };
      const contact = contacts.get(email) ?? { id: contacts.size + 1, email };
      contacts.set(email, contact);
      return { status: 201, body: { id: contact.id } };
    }
    const named = /^\/v3\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    const contact =
      method === 'GET' && named !== undefined && key === 'email' ? contacts.get(decodeURIComponent(named)) : undefined;
    return contact ? { status: 200, body: contact } : { status: 404, text: '' };
  });
}

it('an item path named for an attribute the create sends (an email) reads the records by what was sent, never by the number answered', async () => {
  const target = await contactsByEmail('email');
  try {
    const run = await runFixture('read-by-email.yaml', `${target.baseUrl}/v3`, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(target.seen.filter((line) => /^GET \/v3\/contacts\/\d+$/.test(line))).toEqual([]);
    expect(run.report?.operations.getContactInfo?.checks.resource_availability?.passed).toBeGreaterThan(0);
    expect(run.report?.unreached ?? []).toEqual([]);
  } finally {
    await target.close();
  }
});

it('an item path named for an attribute the create neither answers nor sends gets no made-up id: a documented 404 is no failure, and the run says so', async () => {
  const target = await contactsByEmail('phone');
  try {
    const run = await runFixture('read-by-phone.yaml', `${target.baseUrl}/v3`, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(target.seen.filter((line) => /^GET \/v3\/contacts\/\d+$/.test(line))).toEqual([]);
    // ... and the run says the read was never asked about a record it made (not the create: its path names none).
    expect(run.report?.unreached).toEqual(['getContactInfo']);
    expect(run.stdout).toContain('note: getContactInfo was never asked about a record the run made');
  } finally {
    await target.close();
  }
});

it('a body documented under a media range (*/*) is read as the type it is labelled: a JSON error that breaks the schema fails', async () => {
  const target = await serve((_method, _url, text, contentType) => {
    const body = jsonOf(text, contentType) as unknown;
    const name = (body as { name?: unknown } | null | undefined)?.name;
    return typeof name === 'string' ? { status: 201, body: { id: '1' } } : { status: 422, body: null };
  });
  try {
    const run = await runFixture('range-media.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(1);
    expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['error_format']));
    expect(run.report?.operations.createThing?.checks.response_schema?.passed).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it("a discriminator's mapping names its branches by reference or by bare name: every valid body carries a mapped value", async () => {
  const target = await serve((_method, _url, text, contentType) => {
    const pet = jsonOf(text, contentType) as Record<string, unknown> | undefined;
    const keys = isObject(pet) ? Object.keys(pet).sort().join() : '';
    const cat = pet?.petType === 'cat' && keys === 'meows,petType' && typeof pet.meows === 'boolean';
    const dog = pet?.petType === 'dog' && keys === 'bark,petType' && typeof pet.bark === 'string';
    return cat || dog ? { status: 201, text: '' } : { status: 400, text: '' };
  });
  try {
    const run = await runFixture('discriminator-mapping.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.createPet?.checks.positive_data_accepted?.passed).toBeGreaterThan(10);
  } finally {
    await target.close();
  }
});

it("a discriminator tells overlapping oneOf branches apart (OpenAPI's Cat, Dog, Lizard): a correct server passes, one taking any value fails", async () => {
  const fields: Record<string, [string, string]> = { Cat: ['name', 'string'], Dog: ['bark', 'string'] };
  fields.Lizard = ['lovesRocks', 'boolean'];
  const pet = (text: string, contentType: string) => {
    const body = jsonOf(text, contentType) as Record<string, unknown> | undefined;
    if (!isObject(body) || typeof body.petType !== 'string' || !Object.hasOwn(fields, body.petType)) return undefined;
    const [field, type] = fields[body.petType]!;
    return body[field] === undefined || typeof body[field] === type ? body : undefined;
  };
  for (const strict of [true, false]) {
    const target = await serve((_method, _url, text, contentType) => {
      const body = strict ? pet(text, contentType) : (jsonOf(text, contentType) as unknown);
      return isObject(body) ? { status: 201, body } : { status: 400, text: '' };
    });
    try {
      const run = await runFixture('discriminator-overlap.yaml', target.baseUrl, '--seed', '7');
      const checks = run.report?.operations.createPet?.checks;
      if (strict) {
        expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
        expect(checks?.positive_data_accepted?.passed).toBeGreaterThan(10);
        expect(checks?.response_schema?.passed).toBeGreaterThan(10);
        expect(checks?.negative_data_rejected?.passed).toBeGreaterThan(0);
      } else {
        expect(run.code, run.describe()).toBe(1);
        expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['negative_data_rejected']));
      }
    } finally {
      await target.close();
    }
  }
});

it('a writeOnly property in a 2xx answer fails write_only_hidden alone; a server (or the mock) that never shows it passes', async () => {
  for (const leaks of [false, true]) {
    const target = await serve((method, url, text, contentType) => {
      if (method === 'GET' && url.pathname === '/me') return { status: 200, body: [{ id: 1, email: 'a@example.com' }] };
      const user = jsonOf(text, contentType) as Record<string, unknown> | undefined;
      if (!isObject(user) || typeof user.email !== 'string' || typeof user.password !== 'string')
        return { status: 400, text: '' };
      if (user.id !== undefined) return { status: 400, text: '' };
      return { status: 201, body: { id: 7, email: user.email, ...(leaks ? { password: user.password } : {}) } };
    });
    try {
      const run = await runFixture('write-only.yaml', target.baseUrl, '--seed', '7');
      const checks = run.report?.operations.createUser?.checks;
      if (leaks) {
        expect(run.code, run.describe()).toBe(1);
        expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['write_only_hidden']));
        expect(run.report?.failures[0]?.message).toBe(
          'the 201 answer carries /password, which the schema marks writeOnly',
        );
      } else {
        expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
        expect(checks?.write_only_hidden?.passed).toBeGreaterThan(5);
      }
    } finally {
      await target.close();
    }
  }
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/write-only.yaml`] });
  try {
    const run = await runFixture('write-only.yaml', mock.apis[0]!.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.getMe?.checks.write_only_hidden?.passed).toBeGreaterThan(0);
  } finally {
    await mock.close();
  }
});

it('an update that documents no 404 is not asked about the deleted record: a server answering 404 or 204 there passes', async () => {
  for (const unknownPatch of [404, 204]) {
    const contacts = new Map<string, { id: string; name?: string }>();
    let made = 0;
    const target = await serve((method, url, text, contentType) => {
      const body = jsonOf(text, contentType) as Record<string, unknown> | undefined;
      const ok = isObject(body) && (body.name === undefined || typeof body.name === 'string');
      const [collection, id] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (collection !== 'contacts') return { status: 404, text: '' };
      if (id === undefined && method === 'POST') {
        if (!ok || body.id !== undefined) return { status: 400, text: '' };
        const contact = { id: `c${++made}`, ...(typeof body.name === 'string' ? { name: body.name } : {}) };
        contacts.set(contact.id, contact);
        return { status: 201, body: contact };
      }
      const found = id === undefined ? undefined : contacts.get(id);
      if (method === 'GET') return found ? { status: 200, body: found } : { status: 404, text: '' };
      if (method === 'DELETE')
        return found && contacts.delete(found.id) ? { status: 204, text: '' } : { status: 404, text: '' };
      if (!found) return { status: unknownPatch, text: '' };
      if (!ok || body.id !== undefined) return { status: 400, text: '' };
      if (typeof body.name === 'string') found.name = body.name;
      return { status: 204, text: '' };
    });
    try {
      const run = await runFixture('update-without-not-found.yaml', target.baseUrl, '--seed', '7');
      expect(run.code, `${unknownPatch}: ${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.getContact?.checks.resource_availability?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  }
});

it('a secured operation that documents no 4xx: the 401 without credentials and the 400 to an invalid body pass; ignoring auth fails ignored_auth alone', async () => {
  for (const ignoresAuth of [false, true]) {
    const contacts: { id: string; name: string }[] = [];
    const target = await serve((method, _url, text, contentType, headers) => {
      // Any bearer token is a valid one: the run's placeholder included.
      if (!ignoresAuth && !/^Bearer \S+$/.test(headers.authorization ?? '')) return { status: 401, text: '' };
      if (method === 'GET') return { status: 200, body: contacts };
      const body = jsonOf(text, contentType) as Record<string, unknown> | undefined;
      const name = isObject(body) && Object.keys(body).join() === 'name' ? body.name : undefined;
      if (typeof name !== 'string' || [...name].length < 1 || [...name].length > 20) return { status: 400, text: '' };
      const contact = { id: String(contacts.length + 1), name };
      contacts.push(contact);
      return { status: 201, body: contact };
    });
    try {
      const run = await runFixture('secured-no-refusals.yaml', target.baseUrl, '--seed', '7');
      if (ignoresAuth) {
        expect(run.code, run.describe()).toBe(1);
        expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['ignored_auth']));
      } else {
        expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
        expect(run.report?.operations.listContacts?.checks.ignored_auth?.passed).toBeGreaterThan(0);
      }
    } finally {
      await target.close();
    }
  }
});

it('a discriminator whose branches fix their value themselves (an enum under allOf): a correct server passes, the mock takes the bodies', async () => {
  const flag: Record<string, string> = { cat: 'meows', dog: 'barks' };
  const pet = (body: unknown) =>
    isObject(body) &&
    typeof body.kind === 'string' &&
    Object.hasOwn(flag, body.kind) &&
    Object.keys(body).every(
      (key) => key === 'kind' || (key === flag[body.kind as string] && typeof body[key] === 'boolean'),
    );
  const target = await serve((_method, _url, text, contentType) => {
    const body = jsonOf(text, contentType);
    return pet(body) ? { status: 201, body } : { status: 400, text: '' };
  });
  try {
    const run = await runFixture('discriminator-allof-enum.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.createPet?.checks.positive_data_accepted?.passed).toBeGreaterThan(5);
  } finally {
    await target.close();
  }
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/discriminator-allof-enum.yaml`] });
  try {
    for (const [body, status] of [
      [{ kind: 'cat', meows: true }, 201],
      [{ kind: 'dog' }, 201],
      [{ kind: 'Cat' }, 400],
    ] as const) {
      const answer = await fetch(`${mock.apis[0]!.baseUrl}/pets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(answer.status, JSON.stringify(body)).toBe(status);
    }
  } finally {
    await mock.close();
  }
});

it('a collection nested under records the run creates is asked about under one of them: a broken note fails response_schema, the mock and a correct server pass', async () => {
  for (const broken of [false, true]) {
    const contacts = new Map<string, Map<string, { id: string; body: string }>>();
    const names = new Map<string, string>();
    let made = 0;
    const target = await serve((method, url, text, contentType) => {
      const body = jsonOf(text, contentType) as Record<string, unknown> | undefined;
      const [, contactId, notes, noteId] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (contactId === undefined && method === 'POST') {
        if (!isObject(body) || typeof body.name !== 'string' || body.id !== undefined) return { status: 400, text: '' };
        const id = `c${++made}`;
        contacts.set(id, new Map());
        names.set(id, body.name);
        return { status: 201, body: { id, name: body.name } };
      }
      const held = contactId === undefined ? undefined : contacts.get(contactId);
      if (!held) return { status: 404, text: '' };
      if (notes === undefined && method === 'GET')
        return { status: 200, body: { id: contactId, name: names.get(contactId!) } };
      if (notes === undefined && method === 'DELETE')
        return { status: contacts.delete(contactId!) ? 204 : 404, text: '' };
      if (noteId === undefined && method === 'POST') {
        if (!isObject(body) || typeof body.body !== 'string') return { status: 400, text: '' };
        const note = { id: `n${++made}`, body: body.body };
        held.set(note.id, note);
        return { status: 201, body: broken ? { id: 12345 } : note };
      }
      if (noteId === undefined) return { status: 200, body: [...held.values()] };
      const note = held.get(noteId);
      if (!note) return { status: 404, text: '' };
      if (method === 'DELETE') held.delete(noteId);
      return method === 'DELETE' ? { status: 204, text: '' } : { status: 200, body: note };
    });
    try {
      const run = await runFixture('nested-under-created.yaml', target.baseUrl, '--seed', '7');
      const addNote = run.report?.operations.addNote?.checks;
      if (broken) {
        expect(run.code, run.describe()).toBe(1);
        expect(addNote?.response_schema?.failed).toBeGreaterThan(50);
      } else {
        expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
        expect(addNote?.response_schema?.passed).toBeGreaterThan(50);
        expect(run.report?.operations.getNote?.checks.resource_availability?.passed).toBeGreaterThan(0);
      }
    } finally {
      await target.close();
    }
  }
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/nested-under-created.yaml`] });
  try {
    const run = await runFixture('nested-under-created.yaml', mock.apis[0]!.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.addNote?.checks.response_schema?.passed).toBeGreaterThan(50);
  } finally {
    await mock.close();
  }
});

it("with one record made, a parent's delete that is not sent says the record is kept as the parent", async () => {
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/nested-under-created.yaml`] });
  try {
    const run = await runFixture('nested-under-created.yaml', mock.apis[0]!.baseUrl, '--seed', '7', '--max-cases', '1');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const reasons = run.report?.notSentBy.filter((n) => n.operationId === 'deleteContact').map((n) => n.reason);
    expect(reasons).toContain(
      'the one record createContact made is kept: records of another collection are made under it (more cases make more records)',
    );
  } finally {
    await mock.close();
  }
});

it('a 204 the document shows a schema for is empty, as HTTP says: neither the runner nor the mock fails it', async () => {
  const target = await serve(() => ({ status: 204, text: '' }));
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/no-content-schema.yaml`] });
  try {
    for (const baseUrl of [target.baseUrl, mock.apis[0]!.baseUrl]) {
      const run = await runFixture('no-content-schema.yaml', baseUrl, '--seed', '7');
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.deleteList?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    }
  } finally {
    await Promise.all([target.close(), mock.close()]);
  }
});

it("a made-up member's 404 under a list the run made blames neither: a server knowing no such member passes", async () => {
  let made = 0;
  const target = await serve((method, url) => {
    if (method === 'POST' && url.pathname === '/lists') return { status: 201, body: { id: ++made } };
    const [, list] = /^\/lists\/(\d+)\/members\/[^/]+$/.exec(url.pathname) ?? [];
    return { status: 404, body: { error: list === undefined ? 'no such list' : 'no such member' } };
  });
  try {
    const run = await runFixture('member-of-made-list.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(target.seen.some((line) => /^PUT \/lists\/1\/members\//.test(line))).toBe(true);
  } finally {
    await target.close();
  }
});

it("the members of a deleted list are asked for the list's 404: a server still listing them fails resource_availability alone", async () => {
  for (const zombie of [false, true]) {
    const lists = new Map<number, string>();
    let made = 0;
    const target = await serve((method, url, text, contentType) => {
      const [, id, members] = /^\/lists\/([^/]+)(\/members)?$/.exec(url.pathname) ?? [];
      if (id === undefined) {
        const name = (jsonOf(text, contentType) as { name?: unknown } | undefined)?.name;
        if (method !== 'POST' || typeof name !== 'string') return { status: 400 };
        lists.set(++made, name);
        return { status: 201, body: { id: made, name } };
      }
      const known = lists.has(Number(id));
      if (members)
        return known || (zombie && Number.isInteger(Number(id)) && Number(id) <= made)
          ? { status: 200, body: [] }
          : { status: 404 };
      if (!known) return { status: 404 };
      if (method === 'DELETE') return lists.delete(Number(id)) ? { status: 204, text: '' } : { status: 404 };
      return { status: 200, body: { id: Number(id), name: lists.get(Number(id)) } };
    });
    try {
      const run = await runFixture('members-of-deleted.yaml', target.baseUrl, '--seed', '7');
      expectFailures(run, zombie ? ['resource_availability listMembers'] : []);
      expect(run.report?.operations.listMembers?.checks.resource_availability?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  }
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/members-of-deleted.yaml`] });
  try {
    const run = await runFixture('members-of-deleted.yaml', mock.apis[0]!.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});

it('errors only under default: a deleted or never-made record must be refused somehow; a server finding it fails', async () => {
  for (const fault of ['none', 'deleted still read', 'any id found'] as const) {
    const things = new Map<string, string>();
    let made = 0;
    const target = await serve((method, url, text, contentType) => {
      const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id === undefined) {
        const name = (jsonOf(text, contentType) as { name?: unknown } | undefined)?.name;
        if (method !== 'POST' || typeof name !== 'string') return { status: 400, body: { message: 'invalid' } };
        things.set(String(++made), name);
        return { status: 201, body: { id: String(made), name } };
      }
      const name = things.get(id);
      if (method === 'DELETE') {
        if (name === undefined) return { status: 404, body: { message: 'no such thing' } };
        if (fault !== 'deleted still read') things.delete(id);
        return { status: 204, text: '' };
      }
      if (name === undefined && fault !== 'any id found') return { status: 404, body: { message: 'no such thing' } };
      return { status: 200, body: { id, name: name ?? 'made up' } };
    });
    try {
      const run = await runFixture('errors-by-default.yaml', target.baseUrl, '--seed', '7');
      if (fault === 'none') {
        expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
        expect(run.report?.operations.getThing?.checks.resource_availability?.passed).toBeGreaterThan(0);
      } else {
        expect(run.code, `${fault}: ${run.describe()}`).toBe(1);
        const failures = run.report?.failures ?? [];
        expect(new Set(failures.map((f) => f.check))).toEqual(new Set(['resource_availability']));
        expect(failures[0]?.expected).toMatch(/^a 4xx \(the document names no not-found status\)/);
      }
    } finally {
      await target.close();
    }
  }
});

it('a read whose errors are only under default, on a live target: a change to a made-up id goes out only after that read answered 404', async () => {
  for (const unknown of [403, 404]) {
    const made: string[] = [];
    const things = new Set<string>();
    const target = await serve((method, url) => {
      const id = /^\/things\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id === undefined) {
        made.push(String(made.length + 1));
        things.add(made.at(-1)!);
        return { status: 201, body: { id: made.at(-1), name: 'n' } };
      }
      if (!things.has(id)) return { status: unknown, body: { message: 'no' } };
      if (method === 'DELETE') return things.delete(id) ? { status: 204, text: '' } : { status: 404 };
      return { status: 200, body: { id, name: 'n' } };
    });
    try {
      await runFixture('guarded-delete.yaml', target.baseUrl, '--seed', '7', '--live');
      const madeUp = target.seen.filter((line) => {
        const [, method, id] = /^(GET|DELETE) \/things\/([^/?]+)$/.exec(line) ?? [];
        return method !== undefined && !made.includes(decodeURIComponent(id!));
      });
      expect(
        madeUp.some((line) => line.startsWith('GET')),
        `${unknown}: ${madeUp}`,
      ).toBe(true);
      expect(
        madeUp.some((line) => line.startsWith('DELETE')),
        `${unknown}: ${madeUp}`,
      ).toBe(unknown === 404);
    } finally {
      await target.close();
    }
  }
});

it('a record made under an example parent is known to exist there: a server losing it fails resource_availability', async () => {
  let made = 0;
  const target = await serve((method) =>
    method === 'POST' ? { status: 201, body: { id: String(++made), name: 'n' } } : { status: 404 },
  );
  try {
    const run = await runFixture('under-example-parent.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, run.describe()).toBe(1);
    expect(new Set(run.report?.failures.map((f) => `${f.check} ${f.operationId}`))).toEqual(
      new Set(['resource_availability getThing']),
    );
  } finally {
    await target.close();
  }
});

it("a POST to a record's path beside its PATCH is an action, not the update: the lifecycle updates by the PATCH", async () => {
  const run = await runConformance(
    ['--spec', `${FIXTURES}/update-beside-post.yaml`, '--base-url', 'http://127.0.0.1:1', '--dry-run', '--no-random'],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  expect(run.stdout).toContain('updateThing · lifecycle: updateThing the record');
  expect(run.stdout).not.toContain('lifecycle: batchAddToThing');
});

it('a deepObject parameter that is an object or a number is sent as created[gt]=1, its violations too; the mock agrees', async () => {
  const spec = `${FIXTURES}/deep-object-choice.yaml`;
  const planned = await runConformance(
    ['--spec', spec, '--base-url', 'http://127.0.0.1:1', '--dry-run', '--no-random'],
    {
      json: false,
    },
  );
  expect(planned.stdout).toContain('?created[gt]=1&created[lt]=1');
  expect(planned.stdout).toContain('?created[gt]=1.5&created[lt]=1');
  expect(planned.stdout).not.toContain('created={');
  const mock = await startMock({ port: 0, specFiles: [spec] });
  try {
    const run = await runConformance(['--spec', spec, '--base-url', mock.apis[0]!.baseUrl, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await mock.close();
  }
});

it('an operation whose path names no record is never listed as unreached, whatever it answers', async () => {
  const target = await serve(() => ({ status: 404, body: { message: 'nothing here' } }));
  try {
    const run = await runFixture('form-strict.yaml', target.baseUrl, '--seed', '7');
    expect(run.report?.unreached).toEqual([]);
    expect(run.stdout).not.toContain('was never asked about a record');
  } finally {
    await target.close();
  }
});

it('an update by POST to the record path is part of the lifecycle: a server that does not keep it fails stateful_rules alone', async () => {
  for (const keeps of [true, false]) {
    const records = new Map<string, { sid: string; friendly_name?: string }>();
    let made = 0;
    const target = await serve((method, url, text, contentType) => {
      if (contentType !== 'application/x-www-form-urlencoded' && method === 'POST') return { status: 415, text: '' };
      const fields = Object.fromEntries(new URLSearchParams(text));
      const ok = Object.keys(fields).every((key) => key === 'friendly_name');
      const [, sid] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (sid === undefined) {
        if (!ok) return { status: 400, text: '' };
        const record = { sid: `CH${++made}`, ...fields };
        records.set(record.sid, record);
        return { status: 201, body: record };
      }
      const record = records.get(sid);
      if (!record) return { status: 404, text: '' };
      if (method === 'GET') return { status: 200, body: record };
      if (method === 'DELETE') return records.delete(sid) ? { status: 204, text: '' } : { status: 404, text: '' };
      if (!ok) return { status: 400, text: '' };
      const updated = { ...record, ...fields };
      if (keeps) records.set(sid, updated);
      return { status: 200, body: updated };
    });
    try {
      const run = await runFixture('post-update.yaml', target.baseUrl, '--seed', '7');
      if (keeps) {
        expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
        expect(run.report?.operations.get_conversations_sid?.checks.stateful_rules?.passed).toBeGreaterThan(0);
      } else {
        expect(run.code, run.describe()).toBe(1);
        expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['stateful_rules']));
      }
    } finally {
      await target.close();
    }
  }
});

it('a form lacking a required field is a negative case: a server taking one fails negative_data_rejected alone', async () => {
  for (const strict of [true, false]) {
    let made = 0;
    const target = await serve((_method, _url, text, contentType) => {
      if (contentType !== 'application/x-www-form-urlencoded') return { status: 400, text: '' };
      const fields = new URLSearchParams(text);
      if (strict && !fields.has('Identity')) return { status: 400, text: '' };
      return { status: 201, body: { sid: `US${++made}` } };
    });
    try {
      const run = await runFixture('form-required.yaml', target.baseUrl, '--seed', '7', '--no-random');
      expectFailures(run, strict ? [] : ['negative_data_rejected CreateUser']);
      if (!strict) expect(JSON.stringify(run.report?.failures.map((f) => f.case))).toContain('missing required');
    } finally {
      await target.close();
    }
  }
});

it('an update a server does not keep is caught where the request spells fields otherwise than the record', async () => {
  for (const keeps of [true, false]) {
    const records = new Map<string, Record<string, string>>();
    const target = await serve((method, url, text) => {
      const fields = Object.fromEntries(new URLSearchParams(text));
      const [, , , sid] = url.pathname.split('/');
      if (method === 'POST' && sid === undefined) {
        if (typeof fields.Identity !== 'string') return { status: 400, text: '' };
        const record = {
          sid: `US${records.size + 1}`,
          identity: fields.Identity,
          friendly_name: fields.FriendlyName ?? '',
        };
        records.set(record.sid, record);
        return { status: 201, body: record };
      }
      const record = sid === undefined ? undefined : records.get(sid);
      if (!record) return { status: 404, text: '' };
      if (method === 'POST' && keeps && fields.FriendlyName !== undefined) record.friendly_name = fields.FriendlyName;
      return { status: 200, body: record };
    });
    try {
      const run = await runFixture('respelled-fields.yaml', target.baseUrl, '--seed', '7', '--no-random');
      expectFailures(run, keeps ? [] : ['stateful_rules FetchUser']);
    } finally {
      await target.close();
    }
  }
});

it('a create whose answer gives no id the run can read is listed as left behind by the cleanup, not forgotten', async () => {
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    if (method === 'POST') {
      const body = jsonOf(text, contentType);
      if (!isObject(body)) return { status: 400, text: '' };
      const id = `3f2c8a61-5b7e-4d1a-9c3f-${String(++made).padStart(12, '0')}`;
      return { status: 200, body: { Things: [{ ThingID: id, Name: 'x' }] } };
    }
    return url.pathname === '/Things' ? { status: 200, body: { Things: [] } } : { status: 404, text: '' };
  });
  try {
    const run = await runFixture('unidentified-create.yaml', target.baseUrl, '--seed', '7', '--no-random', '--cleanup');
    const left = run.report?.cleanup?.leftovers ?? [];
    expect(left.length, run.describe()).toBeGreaterThan(0);
    expect(left.every((l) => l.operationId === 'createThings' && l.id === null && /not deleted/.test(l.reason))).toBe(
      true,
    );
    expect(run.stdout).not.toContain('0 left behind');
    // Each is named by the texts the run stamped its own, to find it by (no unique field is declared).
    const names = left.flatMap((l) => (typeof l.sentWith?.Name === 'string' ? [l.sentWith.Name] : []));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    expect(run.stdout).toContain(`sent with Name ${JSON.stringify(names[0])}`);
  } finally {
    await target.close();
  }
});

it('a create answered without the id the spec says it carries leaves its record behind, and says so', async () => {
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    const body = jsonOf(text, contentType);
    if (method === 'POST' && url.pathname === '/persons') {
      if (!isObject(body) || typeof body.name !== 'string') return { status: 400, text: '' };
      made++;
      return { status: 201, body: { success: true } };
    }
    return { status: 404, text: '' };
  });
  try {
    const run = await runFixture('answered-without-id.yaml', target.baseUrl, '--seed', '7', '--no-random', '--cleanup');
    const left = run.report?.cleanup?.leftovers ?? [];
    expect(made).toBeGreaterThan(0);
    expect(left, run.describe()).toHaveLength(made);
    expect(left.every((l) => l.id === null && /gave no id/.test(l.reason))).toBe(true);
  } finally {
    await target.close();
  }
});

it('records sent and answered as a list (Xero) are followed through their life and every one is deleted', async () => {
  const things = new Map<string, { ThingID: string; Name?: string }>();
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    const [, id] = url.pathname.split('/').filter(Boolean);
    if (id === undefined && method === 'GET') return { status: 200, body: { Things: [...things.values()] } };
    if (id === undefined && method === 'POST') {
      const body = jsonOf(text, contentType);
      const list = isObject(body) ? (body.Things ?? []) : undefined;
      if (!Array.isArray(list)) return { status: 400, text: '' };
      for (const item of list)
        if (!isObject(item) || (item.Name !== undefined && (typeof item.Name !== 'string' || item.Name.length > 20)))
          return { status: 400, text: '' };
      const created = list.map((item) => {
        const record = {
          ThingID: `3f2c8a61-5b7e-4d1a-9c3f-${String(++made).padStart(12, '0')}`,
          ...(isObject(item) && typeof item.Name === 'string' ? { Name: item.Name } : {}),
        };
        things.set(record.ThingID, record);
        return record;
      });
      return { status: 200, body: { Things: created } };
    }
    const thing = id === undefined ? undefined : things.get(id);
    if (!thing) return { status: 404, text: '' };
    if (method === 'DELETE') {
      things.delete(thing.ThingID);
      return { status: 204, text: '' };
    }
    return { status: 200, body: { Things: [thing] } };
  });
  try {
    const run = await runFixture('xero-list-records.yaml', target.baseUrl, '--seed', '7', '--cleanup');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.getThing?.checks.resource_availability?.passed).toBeGreaterThan(0);
    expect(made).toBeGreaterThan(1);
    expect([...things.keys()]).toEqual([]);
  } finally {
    await target.close();
  }
});

it("a nested {id} naming another collection's record may be refused with the documented status", async () => {
  const target = await serve((method, url, text, contentType) => {
    const body = jsonOf(text, contentType);
    if (method === 'POST' && url.pathname === '/contacts') {
      const company = isObject(body) ? body.company : undefined;
      if (!isObject(body) || typeof body.name !== 'string' || !isObject(company) || typeof company.id !== 'string')
        return { status: 400, body: { message: 'bad' } };
      return { status: 404, body: { message: 'no such company' } };
    }
    return { status: 404, body: { message: 'missing' } };
  });
  try {
    const run = await runFixture('nested-reference-id.yaml', target.baseUrl, '--seed', '7', '--no-random');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await target.close();
  }
});

it("a create sending its record's own key is no reference to another's: a server refusing every create fails", async () => {
  const target = await serve((method) =>
    method === 'POST' ? { status: 400, body: { error: 'nope' } } : { status: 404, body: {} },
  );
  try {
    const run = await runFixture('own-key-create.yaml', target.baseUrl, '--seed', '7', '--operation', 'createUser');
    expect(run.code, run.describe()).toBe(1);
    expect(run.report?.operations.createUser?.checks.positive_data_accepted?.failed).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it('a valid body naming records by example ids may be refused with the documented status: a correct server passes', async () => {
  const contacts = new Set<string>();
  const groups = new Set<string>();
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    const [kind, id, sub] = url.pathname.split('/').filter(Boolean);
    const body = jsonOf(text, contentType);
    if (method === 'POST' && id === undefined) {
      if (!isObject(body) || (body.Name !== undefined && typeof body.Name !== 'string'))
        return { status: 400, text: '' };
      const made_ = `3f2c8a61-5b7e-4d1a-9c3f-${String(++made).padStart(12, '0')}`;
      (kind === 'Contacts' ? contacts : groups).add(made_);
      const idName = kind === 'Contacts' ? 'ContactID' : 'ContactGroupID';
      return { status: 201, body: { [idName]: made_, ...(body.Name === undefined ? {} : { Name: body.Name }) } };
    }
    if (method === 'GET' && sub === undefined) {
      const found = (kind === 'Contacts' ? contacts : groups).has(id ?? '');
      return found
        ? { status: 200, body: { [kind === 'Contacts' ? 'ContactID' : 'ContactGroupID']: id } }
        : { status: 404, text: '' };
    }
    if (method === 'PUT' && sub === 'Contacts') {
      if (!groups.has(id ?? '')) return { status: 404, text: '' };
      const list = isObject(body) ? body.Contacts : undefined;
      if (!isObject(body) || (list !== undefined && !Array.isArray(list)))
        return { status: 400, body: { Message: 'list' } };
      for (const item of (list as unknown[] | undefined) ?? []) {
        const contactId = isObject(item) ? item.ContactID : undefined;
        if (!isObject(item) || (contactId !== undefined && !contacts.has(String(contactId))))
          return { status: 400, body: { Message: `no contact ${String(contactId)}` } };
      }
      return { status: 200, text: '' };
    }
    return { status: 404, text: '' };
  });
  try {
    const run = await runFixture('body-example-ids.yaml', target.baseUrl, '--seed', '7', '--no-random');
    expect(
      run.report?.failures.filter((f) => f.check === 'positive_data_accepted'),
      run.describe(),
    ).toEqual([]);
  } finally {
    await target.close();
  }
});

it('a given credential picks the security alternative it satisfies: the key goes where the server reads it', async () => {
  for (const given of [
    ['--query-credential', 'api_token=real-key-1'],
    ['--header', 'Authorization: Bearer real-token-1'],
  ]) {
    const target = await serve((_method, url, _text, _type, headers) => {
      const ok = url.searchParams.get('api_token') === 'real-key-1' || headers.authorization === 'Bearer real-token-1';
      if (!ok) return { status: 401, text: '' };
      const limit = url.searchParams.get('limit');
      if (limit !== null && !/^(100|[1-9]\d?)$/.test(limit)) return { status: 400, text: '' };
      return { status: 200, body: { data: [] } };
    });
    try {
      const run = await runFixture('security-alternatives.yaml', target.baseUrl, '--seed', '7', ...given);
      expect(run.code, `${given.join(' ')}\n${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.listPersons?.checks.positive_data_accepted?.passed).toBeGreaterThan(0);
    } finally {
      await target.close();
    }
  }
});

it('a query parameter is sent empty as a valid request only where allowEmptyValue allows it', async () => {
  const target = await serve((_method, url) => {
    const first = url.searchParams.get('first_char');
    return first === null || first === '' ? { status: 400, body: {} } : { status: 200, body: {} };
  });
  try {
    const run = await runFixture('empty-query-value.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(
      target.seen.some((line) => /[?&]term=(&|$)/.test(line)),
      target.seen.join('\n'),
    ).toBe(true);
  } finally {
    await target.close();
  }
});

it('an update of a wrapped record ({"contact": {...}}) a server does not keep is caught; its id copy is the path\'s', async () => {
  for (const keeps of [true, false]) {
    const records = new Map<string, Record<string, unknown>>();
    const updates: unknown[] = [];
    const target = await serve((method, url, text, contentType) => {
      const [, id] = url.pathname.split('/').filter(Boolean);
      const body = jsonOf(text, contentType);
      const contact = isObject(body) ? body.contact : undefined;
      if (method === 'POST' || method === 'PUT') {
        if (!isObject(body) || (contact !== undefined && !isObject(contact))) return { status: 400, text: '' };
        if (Object.values(contact ?? {}).some((v) => typeof v !== 'string')) return { status: 400, text: '' };
      }
      if (method === 'POST' && id === undefined) {
        const record = { ...(contact ?? {}), id: String(records.size + 1) };
        records.set(record.id, record);
        return { status: 201, body: { contact: record } };
      }
      if (id === undefined || !/^\d+$/.test(id)) return { status: 400, text: '' };
      const record = records.get(id);
      if (!record) return { status: 404, body: {} };
      if (method === 'PUT') {
        updates.push(contact);
        if (keeps) Object.assign(record, contact ?? {}, { id: record.id });
      }
      return { status: 200, body: { contact: record } };
    });
    try {
      const run = await runFixture('wrapped-record-update.yaml', target.baseUrl, '--seed', '7', '--no-random');
      expect(new Set(run.report?.failures.map((f) => f.check)).has('stateful_rules'), run.describe()).toBe(!keeps);
      // The lifecycle's update names its record as the path does, inside the wrapper.
      expect(updates.some((c) => isObject(c) && c.id !== undefined && /^\d+$/.test(String(c.id)))).toBe(true);
    } finally {
      await target.close();
    }
  }
});

it('an optional parameter no value fits is left out; a required one skips its operation, named', async () => {
  const target = await serve(() => ({ status: 200, body: {} }));
  try {
    const run = await runFixture('unsatisfiable-parameter.yaml', target.baseUrl, '--seed', '7');
    expect(run.report?.operations.getUser?.checks.status_code_documented?.passed, run.describe()).toBeGreaterThan(0);
    expect(run.report?.skippedOperations).toEqual([
      { operationId: 'listUsers', reason: "query status: no enum value satisfies the schema's other keywords" },
    ]);
  } finally {
    await target.close();
  }
});

it('an unexploded array query parameter is never sent empty as a valid request: a server splitting on its delimiter passes', async () => {
  const target = await serve((_method, url) => {
    for (const [name, delimiter, allowed] of [
      ['status', ',', ['active', 'archived']],
      ['tags', '|', ['a', 'b']],
    ] as const) {
      const raw = url.searchParams.get(name);
      if (raw !== null && !raw.split(delimiter).every((item) => (allowed as readonly string[]).includes(item)))
        return { status: 400, text: '' };
    }
    return { status: 200, body: [] };
  });
  try {
    const run = await runFixture('empty-array-query.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  } finally {
    await target.close();
  }
});

it('an optional form lacking its required field is no body at all, and an unexploded empty list no violation', async () => {
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/optional-form.yaml`], rateLimit: false });
  // A server reading `tags=` as one empty item, as most do.
  const lenient = await serve((_method, url) => {
    const tags = url.searchParams.get('tags');
    return tags === null || tags.split(',').length >= 1 ? { status: 200, body: [] } : { status: 400, text: '' };
  });
  try {
    const form = await runFixture('optional-form.yaml', `${mock.apis[0]!.baseUrl}`, '--seed', '3');
    expect(form.code, `${form.describe()}\n${summarize(form.report)}`).toBe(0);
    const tags = await runFixture('empty-array-minitems.yaml', lenient.baseUrl, '--seed', '7');
    expect(tags.code, `${tags.describe()}\n${summarize(tags.report)}`).toBe(0);
  } finally {
    await mock.close();
    await lenient.close();
  }
});

it("Swagger 2.0's x-nullable takes null: a server answering a null nickname passes, and the mock takes one", async () => {
  let made = 0;
  const target = await serve((_method, _url, text, contentType) => {
    const person = jsonOf(text, contentType);
    const nickname = isObject(person) ? (person.nickname ?? null) : undefined;
    if (!isObject(person) || typeof person.name !== 'string' || (nickname !== null && typeof nickname !== 'string'))
      return { status: 400, text: '' };
    return { status: 201, body: { id: ++made, name: person.name, nickname } };
  });
  const mock = await startMock({ port: 0, specFiles: [`${FIXTURES}/swagger2-x-nullable.yaml`], rateLimit: false });
  try {
    const run = await runFixture('swagger2-x-nullable.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const answer = await fetch(`${mock.apis[0]!.baseUrl}/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ann', nickname: null }),
    });
    expect(answer.status).toBe(201);
    expect(((await answer.json()) as { nickname: unknown }).nickname).toBeNull();
  } finally {
    await target.close();
    await mock.close();
  }
});

it("a Swagger 2.0 discriminator (a property name) gives a body its schema's name: a server taking only known names passes", async () => {
  const target = await serve((_method, _url, text, contentType) => {
    const pet = jsonOf(text, contentType);
    const ok = isObject(pet) && typeof pet.name === 'string' && ['Pet', 'Cat', 'Dog'].includes(pet.petType as string);
    return ok ? { status: 201, body: pet } : { status: 400, text: '' };
  });
  try {
    const run = await runFixture('swagger2-discriminator.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.createPet?.checks.positive_data_accepted?.passed).toBeGreaterThan(5);
  } finally {
    await target.close();
  }
});

it('two levels of nesting: a correct server passes, and the cleanup leaves nothing (children first, under their parents)', async () => {
  // Records by the path of their collection (`/orgs/o1/projects`); a record with records under it cannot be deleted.
  const stores = new Map<string, Map<string, { id: string; name: string }>>();
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    const parts = url.pathname.split('/').filter(Boolean);
    const body = jsonOf(text, contentType) as Record<string, unknown> | undefined;
    const item = parts.length % 2 === 0;
    const collection = `/${(item ? parts.slice(0, -1) : parts).join('/')}`;
    // Every parent on the way must be stored under its own parent.
    for (let i = 2; i < parts.length - (item ? 1 : 0); i += 2) {
      if (!stores.get(`/${parts.slice(0, i - 1).join('/')}`)?.has(parts[i - 1]!)) return { status: 404, text: '' };
    }
    const records = stores.get(collection) ?? new Map();
    stores.set(collection, records);
    if (!item && method === 'POST') {
      if (!isObject(body) || typeof body.name !== 'string' || Object.keys(body).join() !== 'name')
        return { status: 400, text: '' };
      const record = { id: `r${++made}`, name: body.name };
      records.set(record.id, record);
      return { status: 201, body: record };
    }
    if (!item) return { status: 200, body: [...records.values()] };
    const record = records.get(parts.at(-1)!);
    if (!record) return { status: 404, text: '' };
    if (method === 'GET') return { status: 200, body: record };
    const children = [...stores].some(([path, held]) => path.startsWith(`${url.pathname}/`) && held.size > 0);
    if (children) return { status: 409, text: '' };
    records.delete(record.id);
    return { status: 204, text: '' };
  });
  try {
    const run = await runFixture('nested-deep.yaml', target.baseUrl, '--seed', '7', '--cleanup');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.listTask?.checks.resource_availability?.passed).toBeGreaterThan(0);
    expect([...stores.values()].reduce((sum, held) => sum + held.size, 0)).toBe(0);
  } finally {
    await target.close();
  }
});

it('an operation that documents its 401: a 403 without credentials is an undocumented status', async () => {
  for (const [refusal, code] of [
    [401, 0],
    [403, 1],
  ] as const) {
    const target = await serve((_method, _url, _text, _type, headers) =>
      /^Bearer \S+$/.test(headers.authorization ?? '') ? { status: 200, body: [] } : { status: refusal, text: '' },
    );
    try {
      const run = await runFixture('secured-401.yaml', target.baseUrl, '--seed', '7');
      expect(run.code, `${refusal}: ${run.describe()}`).toBe(code);
      if (code === 1)
        expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['status_code_documented']));
    } finally {
      await target.close();
    }
  }
});

it('problem details whose status is not the status they are answered with fail error_format (RFC 9457)', async () => {
  for (const [stated, code] of [
    [400, 0],
    [1, 1],
  ] as const) {
    const target = await serve((_method, url) =>
      /^\/items\/\d+$/.test(url.pathname)
        ? { status: 200, body: {} }
        : {
            status: 400,
            text: JSON.stringify({ type: 'about:blank', title: 'Bad id', status: stated }),
            headers: { 'content-type': 'application/problem+json' },
          },
    );
    try {
      const run = await runFixture('problem-status.yaml', target.baseUrl, '--seed', '7', '--operation', 'getItem');
      expect(run.code, `${stated}: ${run.describe()}\n${summarize(run.report)}`).toBe(code);
      if (code === 1) expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['error_format']));
    } finally {
      await target.close();
    }
  }
});

it('an invalid value of a matrix path parameter is sent with its ;name= prefix: a server checking only the prefix is caught', async () => {
  for (const [checksValue, code] of [
    [true, 0],
    [false, 1],
  ] as const) {
    const target = await serve((_method, url) => {
      const value = /^\/m\/;id=([^/;]*)$/.exec(url.pathname)?.[1];
      const ok = value !== undefined && (!checksValue || (/^\d+$/.test(value) && Number(value) >= 1));
      return { status: ok ? 200 : 400, text: '' };
    });
    try {
      const run = await runFixture('matrix-path.yaml', target.baseUrl, '--seed', '7');
      expect(run.code, `${checksValue}: ${run.describe()}\n${summarize(run.report)}`).toBe(code);
      if (code === 1)
        expect(new Set(run.report?.failures.map((f) => f.check))).toEqual(new Set(['negative_data_rejected']));
    } finally {
      await target.close();
    }
  }
});

it('a discriminator on an allOf parent: a body of the parent carries its schema name (implicit mapping)', async () => {
  const target = await serve((_method, _url, text, contentType) => {
    const pet = jsonOf(text, contentType) as Record<string, unknown> | undefined;
    const ok =
      isObject(pet) &&
      typeof pet.name === 'string' &&
      (pet.petType === 'Pet' || (pet.petType === 'Dog' && ['loud', 'soft'].includes(String(pet.bark))));
    return { status: ok ? 201 : 400, text: '' };
  });
  try {
    const run = await runFixture('discriminator-allof.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.createPet?.checks.positive_data_accepted?.passed).toBeGreaterThan(5);
  } finally {
    await target.close();
  }
});

it("a list answer with another array before the records: the one named for the collection is the list (ActiveCampaign's scoreValues)", async () => {
  const contacts: { id: string; email: string }[] = [];
  const target = await serve((method, url, text, contentType) => {
    const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id !== undefined) {
      const found = method === 'GET' ? contacts.find((c) => c.id === decodeURIComponent(id)) : undefined;
      return found ? { status: 200, body: found } : { status: 404, text: '' };
    }
    if (url.pathname !== '/contacts') return { status: 404, text: '' };
    if (method === 'GET') return { status: 200, body: { scoreValues: [], contacts } };
    const body = jsonOf(text, contentType) as unknown;
    const email = isObject(body) && Object.keys(body).join() === 'email' ? body.email : undefined;
    if (typeof email !== 'string' || email.length < 3 || email.length > 50) return { status: 400, text: '' };
    const contact = { id: String(contacts.length + 1), email };
    contacts.push(contact);
    return { status: 201, body: contact };
  });
  try {
    const run = await runFixture('list-side-array.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.listContacts?.checks.stateful_rules?.passed).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it("a documented 404 is judged where the path names a value the user gave (a config file's account id)", async () => {
  const target = await serve(() => ({ status: 404, text: '' }));
  const dir = await mkdtemp(join(tmpdir(), 'given-'));
  try {
    const config = join(dir, 'conformance.config.yaml');
    await writeFile(
      config,
      [
        'apis:',
        '  - name: accounts',
        `    spec: ${join(process.cwd(), FIXTURES, 'account-path.yaml')}`,
        `    baseUrl: ${target.baseUrl}`,
        '    parameters:',
        '      accountId: real-account-1',
      ].join('\n'),
    );
    const given = await runConformance(['--config', config, '--seed', '7']);
    expect(given.code, given.describe()).toBe(1);
    const [api] = (given.report as unknown as { apis: { failures: { check: string }[] }[] }).apis;
    expect(new Set(api?.failures.map((f) => f.check))).toEqual(new Set(['positive_data_accepted']));
    // The same 404 for the document's own example account may name no account at all.
    const example = await runFixture('account-path.yaml', target.baseUrl, '--seed', '7');
    expect(example.code, example.describe()).toBe(0);
  } finally {
    await target.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('a parent the config file names is that one: no record is made to stand for it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'given-parent-'));
  try {
    const config = join(dir, 'conformance.config.yaml');
    await writeFile(
      config,
      [
        'apis:',
        '  - name: notes',
        `    spec: ${join(process.cwd(), FIXTURES, 'nested-under-created.yaml')}`,
        '    baseUrl: http://127.0.0.1:1',
        '    parameters:',
        '      contact_id: my-contact-42',
      ].join('\n'),
    );
    const run = await runConformance(['--config', config, '--seed', '7', '--dry-run']);
    expect(run.code, run.describe()).toBe(0);
    expect(run.stdout).toContain('/contacts/my-contact-42/notes');
    // No contact the run makes stands for it (a lifecycle's own deleted contact is still asked about).
    expect(run.stdout).not.toMatch(/\/contacts\/\{createContact %24[^}]*\}\/notes/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('an operation fed by a create no value fits is still tested, with its own example id', async () => {
  const target = await serve((method, url) =>
    method === 'GET' && url.pathname === '/reports/r-1'
      ? { status: 200, body: { id: 'r-1' } }
      : { status: 404, text: '' },
  );
  try {
    const run = await runFixture('untestable-create.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(target.seen).toContain('GET /reports/r-1');
    expect(run.report?.operations.getReport?.checks.response_schema?.passed).toBeGreaterThan(0);
  } finally {
    await target.close();
  }
});

it("a record of a nested collection is read and deleted under the parent its create wrote to, not the operation's example parent", async () => {
  const notes = new Map<string, Map<string, { id: string; body: string }>>();
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    const [, contact, id] = /^\/contacts\/([^/]+)\/notes(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
    if (contact === undefined) return { status: 404, text: '' };
    const own = notes.get(contact) ?? new Map<string, { id: string; body: string }>();
    notes.set(contact, own);
    if (id === undefined) {
      const body = jsonOf(text, contentType);
      if (!isObject(body) || typeof body.body !== 'string') return { status: 400, text: '' };
      const note = { id: String(++made), body: body.body };
      own.set(note.id, note);
      return { status: 201, body: note };
    }
    const note = own.get(id);
    if (!note) return { status: 404, text: '' };
    if (method === 'DELETE') own.delete(id);
    return method === 'DELETE' ? { status: 204, text: '' } : { status: 200, body: note };
  });
  try {
    const run = await runFixture('nested-items.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.getNote?.checks.resource_availability?.passed).toBeGreaterThan(0);
    expect(target.seen.filter((line) => line.includes('/contacts/999/'))).toEqual([]);
  } finally {
    await target.close();
  }
});

it('the cleanup counts a record a delete of the run removed as gone, though its second delete is a 400', async () => {
  const notes = new Set<string>();
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    if (method === 'POST') {
      const body = jsonOf(text, contentType);
      if (!isObject(body) || typeof body.body !== 'string') return { status: 400, text: '' };
      const id = String(++made);
      notes.add(id);
      return { status: 201, body: { note: { id, body: body.body } } };
    }
    const id = /^\/notes\/([^/]+)$/.exec(url.pathname)?.[1];
    if (method !== 'DELETE' || id === undefined || !notes.delete(id)) return { status: 400, text: '' };
    return { status: 200, body: { succeded: true } };
  });
  try {
    const run = await runFixture('delete-refuses-missing.yaml', target.baseUrl, '--seed', '7', '--cleanup');
    expect(run.code, run.describe()).toBe(0);
    expect(notes.size).toBe(0);
    expect(run.report?.cleanup).toEqual({ cleaned: made, leftovers: [] });
  } finally {
    await target.close();
  }
});

it('a POST beside a GET that answers HTML makes no records: nothing is listed as left behind', async () => {
  const target = await serve((method, url, text, contentType) => {
    if (!/^\/campaigns\/\d+\/preview$/.test(url.pathname)) return { status: 404, text: '' };
    if (method === 'POST' && text !== '' && !isObject(jsonOf(text, contentType))) return { status: 400, text: '' };
    return { status: 200, text: '<p>preview</p>', headers: { 'content-type': 'text/html' } };
  });
  try {
    const run = await runFixture('html-preview-post.yaml', target.baseUrl, '--seed', '7', '--cleanup');
    expect(run.report?.cleanup, run.describe()).toEqual({ cleaned: 0, leftovers: [] });
    expect(run.stdout).not.toMatch(/ left: /);
  } finally {
    await target.close();
  }
});

/** Okta-like users: the first DELETE deactivates, the second deletes; `never`: no DELETE deletes. */
async function deactivatingUsers(never = false) {
  const users = new Map<string, { id: string; status: string; profile: unknown }>();
  const counts = { made: 0 };
  const target = await serve((method, url, text, contentType, headers) => {
    if (!headers['x-api-key']) return { status: 401, text: '' };
    if (method === 'POST' && url.pathname === '/users') {
      const body = jsonOf(text, contentType);
      const profile = isObject(body) ? body.profile : undefined;
      if (!isObject(profile) || (profile.login !== undefined && typeof profile.login !== 'string'))
        return { status: 400, text: '' };
      const user = { id: `00u${++counts.made}`, status: 'ACTIVE', profile };
      users.set(user.id, user);
      return { status: 200, body: user };
    }
    const user = users.get(/^\/users\/([^/]+)$/.exec(url.pathname)?.[1] ?? '');
    if (!user) return { status: 404, text: '' };
    if (method === 'GET') return { status: 200, body: user };
    if (user.status === 'DEPROVISIONED' && !never) users.delete(user.id);
    else user.status = 'DEPROVISIONED';
    return { status: 204, text: '' };
  });
  const run = await runFixture(
    'two-step-delete.yaml',
    target.baseUrl,
    '--seed',
    '7',
    '--cleanup',
    '--header',
    'X-Api-Key: k',
  );
  await target.close();
  return { run, users, made: counts.made };
}

it('a record still read after its delete (a first delete deactivates) is deleted again by the cleanup', async () => {
  const { run, users, made } = await deactivatingUsers();
  // The lifecycle's read of the deleted user is a failure the document's 404 asks for ...
  expect(run.report?.failures.map((f) => `${f.check} ${f.operationId}`)).toContain('resource_availability getUser');
  // ... and the cleanup leaves no user behind, and says so truly.
  expect(users.size, run.describe()).toBe(0);
  expect(run.report?.cleanup).toEqual({ cleaned: made, leftovers: [] });
});

it('a record that still reads after three deletes is listed as left behind, not counted as deleted', async () => {
  const { run, users } = await deactivatingUsers(true);
  const left = run.report?.cleanup?.leftovers ?? [];
  expect(users.size).toBeGreaterThan(0);
  expect(left).toHaveLength(users.size);
  expect(left.every((l) => l.reason === 'deleteUser answered a success 3 times, and the record still reads')).toBe(
    true,
  );
});

it('an operation whose path names a variable no parameter declares is skipped, named, never sent with braces', async () => {
  const target = await serve(() => ({ status: 200, body: ['vip'] }));
  try {
    const run = await runFixture('undeclared-path-variable.yaml', target.baseUrl, '--seed', '7');
    expect(run.code, run.describe()).toBe(0);
    expect(run.report?.skippedOperations).toEqual([
      {
        operationId: 'updateTags',
        reason: 'its path names {type}, which no path parameter declares: the runner cannot write the path',
      },
    ]);
    expect(target.seen.filter((line) => !line.startsWith('GET /contacts/'))).toEqual([]);
  } finally {
    await target.close();
  }
});

it('a record a bulk delete in the body refuses stays a leftover, though another bulk delete of the run succeeded', async () => {
  const users = new Set<string>();
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    const body = jsonOf(text, contentType);
    if (url.pathname === '/users' && method === 'POST') {
      if (!isObject(body) || body.name !== 'ada' || Object.keys(body).length !== 1) return { status: 400, text: '' };
      users.add(`u${++made}`);
      return { status: 201, body: { id: `u${made}`, name: 'ada' } };
    }
    if (url.pathname === '/users' && method === 'DELETE') {
      const ids = isObject(body) ? body.ids : undefined;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string'))
        return { status: 400, text: '' };
      if (ids.includes('u1')) return { status: 409, body: { error: 'u1 is in use' } };
      for (const id of ids) users.delete(id as string);
      return { status: 200, text: '' };
    }
    const id = /^\/users\/([^/]+)$/.exec(url.pathname)?.[1] ?? '';
    return users.has(id) ? { status: 200, body: { id, name: 'ada' } } : { status: 404, text: '' };
  });
  try {
    const run = await runFixture('bulk-delete-in-use.yaml', target.baseUrl, '--seed', '7', '--no-random', '--cleanup');
    expect(users.has('u1')).toBe(true);
    expect(run.report?.cleanup?.leftovers, run.describe()).toEqual([
      { operationId: 'createUser', id: 'u1', reason: 'deleteUsers answered 409' },
    ]);
  } finally {
    await target.close();
  }
});

it('a read after a cleanup delete that is throttled leaves the record listed, not counted as deleted', async () => {
  const users = new Map<string, 'active' | 'deactivated'>();
  let made = 0;
  const target = await serve((method, url, text, contentType) => {
    const body = jsonOf(text, contentType);
    if (url.pathname === '/users' && method === 'POST') {
      if (!isObject(body) || body.name !== 'ada' || Object.keys(body).length !== 1) return { status: 400, text: '' };
      users.set(`u${++made}`, 'active');
      return { status: 201, body: { id: `u${made}`, name: 'ada' } };
    }
    const id = /^\/users\/([^/]+)$/.exec(url.pathname)?.[1] ?? '';
    const state = users.get(id);
    if (state === undefined) return { status: 404, text: '' };
    if (method === 'DELETE') {
      if (state === 'active') users.set(id, 'deactivated');
      else users.delete(id);
      return { status: 204, text: '' };
    }
    // Deactivated users are read back once (the run's lifecycle), then the reads are throttled.
    if (state === 'deactivated' && users.size < made) return { status: 429, text: '', headers: { 'retry-after': '0' } };
    return { status: 200, body: { id, name: 'ada' } };
  });
  try {
    const run = await runFixture(
      'two-step-delete-throttled.yaml',
      target.baseUrl,
      '--seed',
      '7',
      '--no-random',
      '--cleanup',
    );
    const left = run.report?.cleanup?.leftovers ?? [];
    expect(users.size).toBeGreaterThan(0);
    expect(left.map((l) => l.id).sort(), run.describe()).toEqual([...users.keys()].sort());
    expect(left.every((l) => l.reason === 'getUser answered 429 after the delete')).toBe(true);
  } finally {
    await target.close();
  }
});
