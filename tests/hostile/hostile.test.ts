/**
 * The runner against hostile servers, one small server per behaviour on 127.0.0.1, through its CLI
 * with Basic credentials and an API key to leak and both reports asked for. Whatever the server
 * does, the run never crashes, hangs, misleads or leaks:
 *
 * - exit 1 when the server is at fault, with both reports written and parseable, one failure per
 *   affected request worded exactly, no secret in stdout, stderr, JSON or JUnit, and no raw control
 *   character on the terminal;
 * - exit 2 with one line on stderr, before any request and without reports, when the run cannot
 *   start: bad usage, a target that refuses connections, a port that speaks TLS behind http:// (or
 *   plain HTTP behind https://: the preflight asks before anything is sent), a report path that
 *   cannot be written. A report that fails only when written at the end is exit 2 too, after the
 *   summary, the verdict and the other reports.
 *
 * Every run starts as soon as the file is collected and each test awaits its own: the runs wait on
 * sockets and timeouts, not on each other (vitest would run only a few tests at once). No assertion
 * depends on speed: a server that stalls would take an hour against a --timeout of 2 s,
 * and each run has a kill timeout many times what it needs. The spawned runs use the build
 * (`npm run build` first).
 */

import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import {
  API_KEY,
  CREDENTIAL,
  expectCleanTerminal,
  expectNoSecret,
  expectRefusedUpFront,
  expectReports,
  expectServerFault,
  type HostileOptions,
  type HostileRun,
  PASSWORD,
  type ReportFailure,
  runAgainst,
  USER,
} from './run.js';
import {
  type HostileServer,
  head,
  hostileServer,
  type RawRequest,
  refusingPort,
  reply,
  silentServer,
  tlsServer,
  writeForever,
} from './servers.js';

const servers: HostileServer[] = [];
const dir = mkdtempSync(join(tmpdir(), 'hostile-reports-'));
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(server: Promise<HostileServer>): Promise<HostileServer> {
  const started = await server;
  servers.push(started);
  return started;
}

/** Started now, awaited later by its test: no unhandled rejection in between. */
function eager<T>(work: () => Promise<T>): Promise<T> {
  const promise = work();
  promise.catch(() => undefined);
  return promise;
}

/** A hostile server and the run against it, started now. */
function scenario(
  server: () => Promise<HostileServer>,
  options: (server: HostileServer) => HostileOptions = () => ({}),
): Promise<{ server: HostileServer; run: HostileRun }> {
  return eager(async () => {
    const started = await serve(server());
    return { server: started, run: await runAgainst(started.url, options(started)) };
  });
}

/** The same answer to every request, whatever its credentials: each of the three cases meets it. */
const always = (answer: (request: RawRequest, socket: Socket) => void) => (): Promise<HostileServer> =>
  hostileServer(answer);

/** `answer` to the run's own credential, 401 to anything else: only the read meets the answer. */
const guarded = (answer: (request: RawRequest, socket: Socket) => void) => (): Promise<HostileServer> =>
  hostileServer((request, socket) => {
    if (request.headers.authorization === `Basic ${CREDENTIAL}`) answer(request, socket);
    else socket.write(reply('401 Unauthorized', ''));
  });

/** Exit 1 with both reports, no secret, a clean terminal, and exactly one failure: the read's. */
function onlyFailure(run: HostileRun): ReportFailure {
  expect(run.timedOut, run.context).toBe(false);
  expect(run.code, run.context).toBe(1);
  const report = expectReports(run);
  expect(report.failures, run.context).toHaveLength(1);
  expect(run.stderr, run.context).toBe('');
  expectNoSecret(run);
  expectCleanTerminal(run);
  return report.failures[0]!;
}

/** `{"id":1,"name":"n","children":[...]}` nested `depth` times, the innermost with a string id. */
function nested(depth: number): string {
  return `${'{"id":1,"name":"n","children":['.repeat(depth)}{"id":"deepest","name":"n"}${']}'.repeat(depth)}`;
}

const MB = 1024 * 1024;
const JSON_TYPE = { 'content-type': 'application/json' };
/** What the runner waits for a whole exchange in the runs where a server stalls. */
const SHORT_TIMEOUT = { args: ['--timeout', '2000'] };
const SERVER_ERROR = always((_r, socket) => socket.write(reply('500 Internal Server Error', '')));

describe('a server that breaks HTTP: a failure of each case, never a crash or a hang', () => {
  const reset = scenario(
    always((_request, socket) => {
      socket.write(head('200 OK', { ...JSON_TYPE, 'content-length': 1000 }));
      socket.write('{"id": 1, "name": "cut', () => socket.resetAndDestroy());
    }),
  );
  test('reset in the middle of the body', async () => {
    // Whether the head is read before the reset arrives is the kernel's race: either is said as it is.
    expectServerFault(
      (await reset).run,
      'no usable response: connection',
      /^(200 then the server closed the connection before the body was complete|connection reset by the server)$/,
    );
  });

  const closed = scenario(always((_request, socket) => socket.end()));
  test('a connection closed without an answer', async () => {
    expectServerFault(
      (await closed).run,
      'no usable response: connection',
      /^the server closed the connection without an answer$/,
    );
  });

  const silent = scenario(silentServer, () => SHORT_TIMEOUT);
  test('never answers: a timeout of each case', async () => {
    expectServerFault((await silent).run, 'no usable response: timeout', /^no complete response within 2000 ms$/);
  });

  const drip = scenario(
    always((_request, socket) => {
      socket.write(head('200 OK', { ...JSON_TYPE, 'content-length': 3600 }));
      const timer = setInterval(() => socket.write(' '), 1000);
      socket.once('close', () => clearInterval(timer));
    }),
    () => SHORT_TIMEOUT,
  );
  test('drips its body at one byte a second: the whole exchange has one deadline', async () => {
    // The head comes at once, but a worker busy for the whole deadline reaches its timer before the
    // head; the status prefix itself is asserted by the size-cap cases below.
    expectServerFault(
      (await drip).run,
      'no usable response: timeout',
      /^(200 then )?no complete response within 2000 ms$/,
    );
  });

  const huge = scenario(
    always((_request, socket) => socket.write(reply('200 OK', Buffer.alloc(20 * MB, 0x20), JSON_TYPE))),
  );
  test('a 20 MB body: refused on its Content-Length', async () => {
    expectServerFault(
      (await huge).run,
      'response too large to evaluate',
      /^200 then response body larger than the 10 MB cap$/,
    );
  });

  const endless = scenario(
    always((_request, socket) => {
      socket.write(head('200 OK', { ...JSON_TYPE, 'transfer-encoding': 'chunked' }));
      writeForever(socket, Buffer.from(`10000\r\n${' '.repeat(0x10000)}\r\n`));
    }),
  );
  test('an endless chunked stream: read up to the cap and no further', async () => {
    expectServerFault(
      (await endless).run,
      'response too large to evaluate',
      /^200 then response body larger than the 10 MB cap$/,
    );
  });

  // Concatenated gzip members inflate to the concatenation: 4096 times 1 MB of zeros.
  const member = gzipSync(Buffer.alloc(MB));
  const bomb = Buffer.concat(Array.from({ length: 4096 }, () => member));
  const gzipBomb = scenario(
    always((_request, socket) => socket.write(reply('200 OK', bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' }))),
  );
  test('a gzip bomb: 4 MB that inflate to 4 GB are inflated up to the cap and no further', async () => {
    expectServerFault(
      (await gzipBomb).run,
      'response too large to evaluate',
      /^200 then response body larger than the 10 MB cap once decoded \(gzip\)$/,
    );
  });

  const escapeInHeader = scenario(
    always((_request, socket) =>
      socket.write(reply('200 OK', '{}', { ...JSON_TYPE, 'x-note': 'a\u001b]0;pwned\u0007' })),
    ),
  );
  test('a header value with a terminal escape: not HTTP, said so', async () => {
    expectServerFault(
      (await escapeInHeader).run,
      'no usable response: other',
      /^Response does not match the HTTP\/1\.1 protocol \(Invalid header value char\)$/,
    );
  });

  const headers = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`x-hostile-${i}`, 'y']));
  const manyHeaders = scenario(
    always((_request, socket) => socket.write(reply('200 OK', '{}', { ...JSON_TYPE, ...headers }))),
  );
  test('10,000 headers: over the header limit, a failure of the case', async () => {
    expectServerFault(
      (await manyHeaders).run,
      'response too large to evaluate',
      /^response headers larger than the 16 KB limit$/,
    );
  });
});

describe('a hostile answer: judged, shown escaped and redacted, never a crash', () => {
  const invalid = scenario(guarded((_r, socket) => socket.write(reply('200 OK', '{"id": 1, "name": ', JSON_TYPE))));
  test('invalid JSON', async () => {
    const failure = onlyFailure((await invalid).run);
    expect(failure).toMatchObject({ check: 'response_schema', message: 'body is not valid JSON' });
    expect(failure.actual).toBe('200 {"id": 1, "name":');
  });

  const wrong = JSON.stringify({ id: '1', name: 2, tags: Array.from({ length: 100_000 }, (_, i) => i) });
  const wrongTypes = scenario(guarded((_r, socket) => socket.write(reply('200 OK', wrong, JSON_TYPE))));
  test('wrong types, 100,000 of them: the first 20 errors listed, the rest counted', async () => {
    const { run } = await wrongTypes;
    const failure = onlyFailure(run);
    expect(failure).toMatchObject({ check: 'response_schema', message: 'body does not match the 200 schema' });
    expect(failure.errors!.slice(0, 3)).toEqual([
      '/id: must be integer',
      '/name: must be string',
      '/tags/0: must be string',
    ]);
    expect(failure.errors!.slice(20)).toEqual(['… and 99982 more errors']);
    expect(run.stdout.split('\n').length, run.context).toBeLessThan(80);
  });

  const redirect = scenario(
    guarded((request, socket) => socket.write(reply('302 Found', '', { location: `http://127.0.0.1${request.path}` }))),
  );
  test('a redirect to itself is a response like any other: never followed', async () => {
    const { server, run } = await redirect;
    const failure = onlyFailure(run);
    expect(failure).toMatchObject({ check: 'status_code_documented', message: 'status 302 is not documented' });
    expect(server.requests).toBe(3);
  });

  const interim = scenario(
    guarded((_r, socket) => {
      // Split where a reader could be fooled: inside an interim status line and between answers.
      socket.write('HTTP/1.1 10');
      socket.write('0 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n');
      socket.write(head('103 Early Hints', { link: '</style.css>; rel=preload' }));
      socket.write(reply('200 OK', '{"id": 1, "name": "thing"}', JSON_TYPE));
    }),
    // One connection: the answers after the first come on a reused one.
    () => ({ args: ['--concurrency', '1'] }),
  );
  test('100 Continue and 103 Early Hints before the answer are skipped: the run passes', async () => {
    const { run } = await interim;
    expect(run.code, run.context).toBe(0);
    expect(expectReports(run).summary.failed, run.context).toBe(0);
    expect(run.stdout, run.context).toMatch(/PASSED · \d+ checks: \d+ passed, 0 failed/);
    expectNoSecret(run);
    expectCleanTerminal(run);
  });

  const compressed = scenario(
    guarded((_r, socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\n');
      socket.write(
        reply('200 OK', gzipSync('{"id": 1, "name": "thing"}'), { ...JSON_TYPE, 'content-encoding': 'gzip' }),
      );
    }),
  );
  test('a gzip-compressed answer after a 100 Continue: decoded and judged, the run passes', async () => {
    const { run } = await compressed;
    expect(run.code, run.context).toBe(0);
    expect(run.stderr, run.context).toBe('');
    expectReports(run);
  });

  const deep = scenario(guarded((_r, socket) => socket.write(reply('200 OK', nested(3000), JSON_TYPE))));
  test('JSON nested 6,001 levels: not evaluated, said so, never a stack overflow', async () => {
    const failure = onlyFailure((await deep).run);
    expect(failure).toMatchObject({ check: 'not_a_server_error', message: 'response too large to evaluate' });
    expect(failure.actual).toBe('200 then JSON nested deeper than 1000 levels');
  });

  const brackets = `${'['.repeat(5 * MB - 1)}${']'.repeat(5 * MB - 1)}`;
  const deepest = scenario(guarded((_r, socket) => socket.write(reply('200 OK', brackets, JSON_TYPE))));
  test('10 MB of brackets, 5 million levels: not even parsed, said so', async () => {
    expect(onlyFailure((await deepest).run).actual).toBe('200 then JSON nested deeper than 1000 levels');
  });

  // Each level of `nested` is an object and an array: 490 of them and the innermost object.
  const deepValid = scenario(guarded((_r, socket) => socket.write(reply('200 OK', nested(490), JSON_TYPE))));
  test('JSON nested 981 levels, the deepest evaluated: through AJV at full depth, shown as text', async () => {
    const failure = onlyFailure((await deepValid).run);
    expect(failure).toMatchObject({ check: 'response_schema', message: 'body does not match the 200 schema' });
    expect(failure.errors).toEqual([`${'/children/0'.repeat(490)}/id: must be integer`]);
    expect(typeof failure.response.body).toBe('string');
  });

  const hostile = '\u001b[2J\u001b[H\u001b]0;pwned\u0007PASSED\r\u009b31m\u202eDEHSILBUP';
  const escapes = JSON.stringify({ id: hostile, name: 'n', attributes: { [hostile]: 1 } });
  const ansi = scenario(guarded((_r, socket) => socket.write(reply('200 OK', escapes, JSON_TYPE))));
  test('terminal escapes and a bidi override in the body and a key: shown escaped', async () => {
    const { run } = await ansi;
    expect(onlyFailure(run).check).toBe('response_schema');
    expect(run.stdout).toContain('\\u001b[2J\\u001b[H\\u001b]0;pwned\\u0007PASSED\\r\\u009b31m\\u202eDEHSILBUP');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAILED · /);
  });

  const decoded = `${USER}:${PASSWORD}`;
  const echo = scenario(
    guarded((request, socket) => {
      const body = {
        // The body excerpt in a failure is cut at 200 characters: here, 5 characters into the password.
        id: `${'x'.repeat(188)}${PASSWORD}`,
        name: `token ${CREDENTIAL} for ${decoded}`,
        [PASSWORD]: { [decoded]: [request.headers.authorization, { [API_KEY]: request.headers['x-api-key'] }] },
        attributes: { [`${PASSWORD}/${API_KEY}`]: 1, [decoded]: 2 },
      };
      socket.write(
        // Escaped as PHP does: `\/`.
        reply('200 OK', JSON.stringify(body).replace(/\//g, '\\/'), {
          ...JSON_TYPE,
          [`x-${PASSWORD}`]: decoded,
          'x-echo': `${request.headers.authorization} ${API_KEY}`,
          location: `/things?user=${encodeURIComponent(decoded)}`,
        }),
      );
    }),
  );
  test('the secrets echoed as keys and values at any depth, header names and values, decoded, cut', async () => {
    const { run } = await echo;
    expect(onlyFailure(run).check).toBe('response_schema');
    expectNoSecret(run, [decoded, PASSWORD, API_KEY, CREDENTIAL, encodeURIComponent(decoded), PASSWORD.slice(0, 5)]);
  });

  const harmless = scenario(
    guarded((_r, socket) =>
      socket.write(
        reply('200 OK', '{"id": "x", "name": "n"}', { ...JSON_TYPE, 'access-control-allow-credentials': 'true' }),
      ),
    ),
  );
  test('a harmless header whose name holds "credentials" is shown as sent', async () => {
    const failure = onlyFailure((await harmless).run);
    expect(failure.response.headers['access-control-allow-credentials']).toBe('true');
  });
});

describe('a target the runner cannot talk to: exit 2, one line, nothing sent', () => {
  const refused = eager(async () => {
    const refusing = await refusingPort();
    try {
      return await runAgainst(refusing.url);
    } finally {
      await refusing.release();
    }
  });
  test('nothing listens on the port', async () => {
    expectRefusedUpFront(await refused, /^conformance: cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused$/);
  });

  const tls = scenario(tlsServer);
  test('the port speaks TLS behind an http:// base URL', async () => {
    const { server, run } = await tls;
    const origin = `127\\.0\\.0\\.1:${server.port}`;
    expectRefusedUpFront(run, new RegExp(`^conformance: http://${origin} speaks TLS: use https://${origin}$`));
    expect(server.requests).toBe(0);
  });

  const untrusted = eager(async () => {
    const server = await serve(tlsServer());
    return { server, run: await runAgainst(`https://127.0.0.1:${server.port}`) };
  });
  test('the certificate behind an https:// base URL is not trusted', async () => {
    const { server, run } = await untrusted;
    const origin = `https://127\\.0\\.0\\.1:${server.port}`;
    expectRefusedUpFront(
      run,
      new RegExp(
        `^conformance: ${origin}'s certificate is not trusted \\([A-Z_]+\\): give its CA in NODE_EXTRA_CA_CERTS=<file\\.pem>$`,
      ),
    );
    expect(server.requests).toBe(0);
  });

  const plain = eager(async () => {
    // node:http answers a TLS ClientHello with 400 Bad Request.
    const server = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      return { port, run: await runAgainst(`https://127.0.0.1:${port}`) };
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
  test('the port speaks plain HTTP behind an https:// base URL', async () => {
    const { port, run } = await plain;
    const origin = `127\\.0\\.0\\.1:${port}`;
    expectRefusedUpFront(
      run,
      new RegExp(`^conformance: https://${origin} answers plain HTTP, not TLS: use http://${origin}$`),
    );
  });
});

describe('report paths that cannot be written', () => {
  const proc = scenario(SERVER_ERROR, () => ({ reportJson: '/proc/x.json', reportJunit: join(dir, 'proc.xml') }));
  test('a report under /proc: exit 2 before anything is sent', async () => {
    const { server, run } = await proc;
    expect(run.code, run.context).toBe(2);
    expect(run.stdout, run.context).toBe('');
    expect(run.stderr, run.context).toMatch(
      /^conformance: cannot write report \/proc\/x\.json: [a-z ,-]+ \([A-Z]+\)\n$/,
    );
    expect(server.requests).toBe(0);
    await expect(readFile(join(dir, 'proc.xml'))).rejects.toThrow();
  });

  const same = join(dir, 'same.json');
  const twice = scenario(SERVER_ERROR, () => ({ reportJson: same, reportJunit: same }));
  test('one path for both reports: exit 2 before anything is sent', async () => {
    const { server, run } = await twice;
    expect(run.code, run.context).toBe(2);
    expect(run.stderr, run.context).toBe(
      `conformance: ${same} is given for two reports; each report needs its own file\n`,
    );
    expect(server.requests).toBe(0);
    await expect(readFile(same)).rejects.toThrow();
  });

  const full = scenario(SERVER_ERROR, () => ({ reportJson: '/dev/full', reportJunit: join(dir, 'full.xml') }));
  test('a write that fails at the end (a full device): the summary, verdict and other report first', async () => {
    const { server, run } = await full;
    expect(server.requests).toBe(3);
    expect(run.code, run.context).toBe(2);
    expect(run.stdout, run.context).toMatch(/FAILED · \d+ checks: 0 passed, 3 failed/);
    expect(run.stderr, run.context).toBe(
      'conformance: cannot write report /dev/full: no space left on the device (ENOSPC)\n',
    );
    expect(await readFile(join(dir, 'full.xml'), 'utf8')).toContain('<testsuites');
    expectNoSecret(run);
    expectCleanTerminal(run);
  });
});

describe('the built CLI in its own process: it exits, with its output complete', () => {
  const silent = scenario(silentServer, () => ({ ...SHORT_TIMEOUT, spawn: true }));
  test('a server that never answers and never lets go of its connections: exit 1', async () => {
    expectServerFault((await silent).run, 'no usable response: timeout', /^no complete response within 2000 ms$/);
  });

  const tls = scenario(tlsServer, () => ({ spawn: true }));
  test('a TLS server behind http://: exit 2, one line', async () => {
    expectRefusedUpFront(
      (await tls).run,
      /^conformance: http:\/\/127\.0\.0\.1:\d+ speaks TLS: use https:\/\/127\.0\.0\.1:\d+$/,
    );
  });
});
