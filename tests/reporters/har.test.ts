/**
 * The HAR report: valid HAR 1.2 (validated against har-schema, the JSON Schema of the HAR 1.2
 * spec that har-validator uses), one entry per request the server received, and no secret given
 * with --header anywhere in it (nor in the HTML report of the same run), even when the server echoes it back.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { afterAll, describe, expect, test } from 'vitest';
import { buildHar, type Har, renderHar } from '../../conformance/reporters/har.js';
import { ECHO_CREDENTIALS, FAULTS } from '../support/faulty-servers.js';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import { COMMON, runConformance, summarize, targetArgs } from '../support/runner.js';
import { makeReport } from './fixtures.js';

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS; under ESM its callable is the default export's default.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

/** har-schema's schemas are draft-06 with a few keywords of their own (`optional`, `min`, `unique`). */
function harValidator(): ValidateFunction {
  const schemas = require('har-schema') as Record<string, { $id: string }>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  addFormats(ajv);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  return ajv.getSchema('har.json#')!;
}

const validate = harValidator();
const errorsOf = (): string => JSON.stringify(validate.errors?.slice(0, 5), null, 2);

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('HAR', () => {
  test('the validator rejects what is not HAR 1.2', () => {
    const good = buildHar([makeReport([{ status: 201 }])]);
    expect(validate(good), errorsOf()).toBe(true);
    const { creator: _creator, ...noCreator } = good.log;
    expect(validate({ log: noCreator })).toBe(false);
    const badEntry = structuredClone(good);
    (badEntry.log.entries[0]!.response as { status: unknown }).status = '201';
    expect(validate(badEntry)).toBe(false);
    const badTime = structuredClone(good);
    badTime.log.entries[0]!.startedDateTime = 'yesterday';
    expect(validate(badTime)).toBe(false);
  });

  test('a real run: valid HAR 1.2, one entry per request the server got, no secret anywhere', async () => {
    const secret = `s3cr3t-${randomUUID()}`;
    // The server echoes the Authorization header in its 400 bodies: the secret is in requests and answers.
    const fault = FAULTS.find((f) => f.fault.name === '8x8-error-id-not-uuid')!.fault;
    const server = await startReferenceServer('8x8', { faults: [fault, ECHO_CREDENTIALS] });
    servers.push(server);
    const dir = await mkdtemp(join(tmpdir(), 'har-test-'));
    try {
      const file = join(dir, 'nested', 'run.har');
      const run = await runConformance([
        ...targetArgs('8x8', server, secret),
        ...COMMON,
        '--header',
        'X-Api-Key: key-0b6f2c9d',
        '--report-har',
        file,
        '--report-html',
        join(dir, 'run.html'),
      ]);
      const context = `${run.describe()}\n${summarize(run.report)}`;
      expect(run.code, context).toBe(1);
      expect(server.log.some((r) => r.authorization === `Bearer ${secret}` && r.status === 400)).toBe(true);
      const text = await readFile(file, 'utf8');
      const html = await readFile(join(dir, 'run.html'), 'utf8');
      for (const [where, output] of [
        ['HAR', text],
        ['HTML', html],
      ] as const) {
        expect(output.includes(secret), `the ${where} report leaks the secret`).toBe(false);
        expect(output.includes(secret.slice('s3cr3t-'.length)), `the ${where} report leaks part of it`).toBe(false);
        expect(output.includes('key-0b6f2c9d'), `the ${where} report leaks X-Api-Key`).toBe(false);
      }
      expect(html).toMatch(/authorized as \\?&quot;\*\*\*\\?&quot;/);
      const har = JSON.parse(text) as Har;
      expect(validate(har), errorsOf()).toBe(true);
      expect(har.log.version).toBe('1.2');

      // One entry per request received, method and path alike.
      const sent = har.log.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`).sort();
      const received = server.log.map((r) => `${r.method} ${r.path}`).sort();
      expect(sent).toEqual(received);
      expect(har.log.pages).toHaveLength(1);
      expect(har.log.pages[0]!.title).toContain('specs/8x8-contacts.yaml');

      const entries = har.log.entries;
      expect(entries.every((e) => e.pageref === har.log.pages[0]!.id)).toBe(true);
      const times = entries.map((e) => Date.parse(e.startedDateTime));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(entries.every((e) => e.time >= 0 && e.timings.wait === e.time)).toBe(true);
      const echoed = entries.find(
        (e) => e.response.status === 400 && e.response.content.text?.includes('authorized as'),
      );
      expect(echoed, 'an answer that echoed the credential').toBeDefined();
      // The echoed credential is masked in the body as everywhere.
      expect(echoed!.response.content.text).toContain('authorized as \\"***\\"');
      const auth = echoed!.request.headers.find((h) => h.name.toLowerCase() === 'authorization');
      expect(auth?.value).toBe('Bearer ***');
      const post = entries.find((e) => e.request.postData !== undefined)!;
      expect(post.request.postData!.mimeType).toMatch(/json/);
      expect(post.request.bodySize).toBe(Buffer.byteLength(post.request.postData!.text));
      // Each entry names its case: the same seq and name as the JSON report's failures.
      const failure = run.report!.failures[0]!;
      expect(entries.some((e) => e._operationId === failure.operationId && e._case === failure.case)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('no answer: status 0 with the reason; never sent: no entry, counted in the comment; truncated bodies say so', () => {
    const report = makeReport([{ status: 201 }, { status: null }, { status: 'not-sent' }, { status: 200 }]);
    report.exchanges[3]!.response!.truncated = true;
    const second = makeReport([{ status: 204 }], { spec: 'specs/other.yaml' });
    const har = buildHar([report, second]);
    expect(validate(har), errorsOf()).toBe(true);
    expect(har.log.entries).toHaveLength(4);
    expect(har.log.pages.map((p) => p.id)).toEqual(['run_1', 'run_2']);
    const failed = har.log.entries.find((e) => e._seq === 1 && e.pageref === 'run_1')!;
    expect(failed.response).toMatchObject({ status: 0, _error: 'timeout after 5000 ms' });
    expect(har.log.comment).toBe(
      "1 planned request was not sent (a step before failed, or no record was left to use; the JSON report's notSentBy says which)",
    );
    const truncated = har.log.entries.find((e) => e._seq === 3)!;
    expect(truncated.response.content.comment).toMatch(/truncated/);
    expect(truncated.response.bodySize).toBe(-1);
    const first = har.log.entries.find((e) => e._seq === 0)!;
    expect(first.request.queryString).toEqual([
      { name: 'page', value: '0' },
      { name: 'q', value: 'a b' },
    ]);
    expect(first.response.statusText).toBe('Created');
    expect(validate(JSON.parse(renderHar([])))).toBe(true);
  });
});
