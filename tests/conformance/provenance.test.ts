/**
 * Verdicts by provenance, end to end. A server that does exactly what the vendors document (the
 * reference server's documented-only mode) passes every spec: what it does differently from our
 * inferred rules is reported as refuted assumptions, each named exactly, and `--strict` turns
 * exactly those into failures. The Overlay the run writes, applied to the spec, calibrates it: a
 * second run against the same server refutes nothing and still passes, while servers that break a
 * documented rule are still caught by their check.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openapiOverlay, resolveJsonPathValue } from 'openapi-format';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { REGISTRY } from '../../conformance/checks/registry.js';
import { isObject, type JsonObject } from '../../lib/json.js';
import { getPointer } from '../../lib/json-pointer.js';
import {
  ASSUMPTION_FAULTS,
  type AssumptionKey,
  AT,
  type CheckName,
  FAULTS,
  LONG_WINDOW,
} from '../support/faulty-servers.js';
import {
  REPO_ROOT,
  type RunningServer,
  SPEC_FILES,
  type SpecKey,
  specFor,
  startReferenceServer,
} from '../support/reference-server.js';
import {
  COMMON,
  eager,
  failingChecks,
  junitCases,
  pool,
  type RunResult,
  refutedAssumptions,
  runConformance,
  summarize,
  targetArgs,
} from '../support/runner.js';
import { type VirtualClock, virtualClock } from '../support/virtual-clock.js';

const servers: RunningServer[] = [];
let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'conformance-provenance-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(tmp, { recursive: true, force: true });
});

const schedule = pool(4);
// Only a guard against a hang: four runs per calibration share two cores with the other test files.
const KILL_AFTER_MS = 120_000;
/** A test waits for its calibration's runs, which began when the file loaded. */
const CALIBRATION_MS = 300_000;

interface Calibration {
  name: string;
  key: SpecKey;
  args: string[];
  rateLimit?: { limit: number; periodMs: number } | false;
  /** Exactly what the documented-only server refutes, in document order. */
  refutes: AssumptionKey[];
  /** A fault on a documented rule, and its check: still caught once the spec is calibrated. */
  documentedFault: { name: string; expected: CheckName };
}

/** The pointer of an operation in a spec: `op('/contacts/update', 'patch')`. */
const op = (path: string, method: string): string =>
  `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;

const CALIBRATIONS: Calibration[] = [
  {
    name: 'bigchange',
    key: 'bigchange',
    args: [],
    // A documented-only server sends its problem details as plain JSON: the pages name no media type.
    refutes: [
      { pointer: `${AT.bigchangeCreate}/responses/422`, keyword: 'mediaType' },
      { pointer: `${AT.bigchangeUpdate}/responses/404`, keyword: 'mediaType' },
      { pointer: `${AT.bigchangeUpdate}/responses/422`, keyword: 'mediaType' },
      { pointer: '/components/schemas/CreateContactGroup', keyword: 'required' },
      { pointer: '/components/schemas/CreateContactGroup/properties/name', keyword: 'minLength' },
      { pointer: '/components/responses/BadRequest', keyword: 'mediaType' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
    ],
    documentedFault: { name: 'bigchange-create-answers-200', expected: 'status_code_documented' },
  },
  {
    name: '8x8',
    key: '8x8',
    args: [],
    // A JSON Patch left out is no change at all; a 404 without a body is all 8x8 documents (nothing).
    refutes: [
      { pointer: `${AT['8x8']}/responses/401`, keyword: 'content' },
      {
        pointer: `${op('/api/v1/accounts/{accountId}/contacts/{contactId}', 'patch')}/requestBody`,
        keyword: 'required',
      },
      {
        pointer: `${op('/api/v1/accounts/{accountId}/contacts/{contactId}', 'delete')}/responses/404`,
        keyword: 'content',
      },
      { pointer: `${op('/api/v1/accounts/{accountId}/groups/{groupId}', 'patch')}/requestBody`, keyword: 'required' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
    ],
    documentedFault: { name: '8x8-accepts-invalid-msisdn', expected: 'negative_data_rejected' },
  },
  {
    name: 'eloqua',
    key: 'eloqua',
    args: [],
    refutes: [
      { pointer: `${AT.eloqua}/responses/400`, keyword: 'content' },
      { pointer: `${AT.eloqua}/responses/401`, keyword: 'content' },
      { pointer: '/components/responses/ValidationFailed', keyword: 'content' },
      { pointer: '/components/responses/BadRequestMessage', keyword: 'content' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
      { pointer: '/components/responses/NotFound', keyword: 'content' },
      { pointer: '/components/schemas/ContactSegment', keyword: 'required' },
      { pointer: '/components/schemas/ContactSegment/properties/name', keyword: 'minLength' },
      { pointer: '/components/schemas/SegmentElement/properties/isIncluded', keyword: 'enum' },
    ],
    documentedFault: { name: 'eloqua-accepts-duplicate-name', expected: 'stateful_rules' },
  },
  {
    name: 'easify',
    key: 'easify',
    args: [],
    rateLimit: false,
    refutes: [
      { pointer: `${AT.easifyGroups}/responses/422`, keyword: 'response' },
      { pointer: `${op('/contact-groups/update', 'patch')}/parameters/0/schema`, keyword: 'minLength' },
      { pointer: `${op('/contact-groups/update', 'patch')}/parameters/0/schema`, keyword: 'maxLength' },
      { pointer: `${op('/contact-groups/update', 'patch')}/responses/400`, keyword: 'content' },
      { pointer: `${AT.easifyContacts}/responses/422`, keyword: 'response' },
      { pointer: `${op('/contacts/update', 'patch')}/responses/200`, keyword: 'content' },
      { pointer: `${op('/contacts/update', 'patch')}/responses/400`, keyword: 'content' },
      { pointer: '/components/responses/UnauthenticatedAssumed', keyword: 'content' },
      { pointer: '/components/responses/ContactValidationAssumed', keyword: 'content' },
      { pointer: '/components/schemas/CreateContactGroupRequest/properties/name', keyword: 'minLength' },
      { pointer: '/components/schemas/CreateContactGroupRequest/properties/name', keyword: 'maxLength' },
      { pointer: '/components/schemas/ContactFields/properties/first_name', keyword: 'minLength' },
    ],
    documentedFault: { name: 'easify-contacts-count-as-string', expected: 'response_schema' },
  },
  {
    // Past the documented limit only headers are judged: the 429 carries its message, not Retry-After.
    name: 'easify past its limit',
    key: 'easify',
    args: ['--checks', 'rate_limit,response_headers'],
    rateLimit: LONG_WINDOW,
    refutes: [
      { pointer: `${AT.easify}/responses/429/headers/Retry-After`, keyword: 'required' },
      { pointer: '/components/headers/Retry-After', keyword: 'required' },
    ],
    documentedFault: { name: 'easify-never-rate-limits', expected: 'rate_limit' },
  },
];

/**
 * Each server's time, shared with the runs against it: a run past the rate limit honours the 429s'
 * waits (a window of ten minutes) without spending them.
 */
const clocks = new WeakMap<RunningServer, VirtualClock>();
const clockOf = (server: RunningServer): { clock?: VirtualClock } => {
  const clock = clocks.get(server);
  return clock ? { clock } : {};
};

async function documentedOnlyServer(calibration: Calibration, faultName?: string): Promise<RunningServer> {
  const fault = faultName === undefined ? undefined : FAULTS.find((f) => f.fault.name === faultName)?.fault;
  if (faultName !== undefined && !fault) throw new Error(`no fault ${faultName}`);
  const clock = virtualClock();
  const server = await startReferenceServer(calibration.key, {
    clock: () => clock.now(),
    documentedOnly: true,
    ...(calibration.rateLimit !== undefined ? { rateLimit: calibration.rateLimit } : {}),
    ...(fault ? { faults: [fault] } : {}),
  });
  servers.push(server);
  clocks.set(server, clock);
  return server;
}

const vendorDocuments = new Map<SpecKey, unknown>();

/** A spec of specs/ as parsed YAML, a copy of its own per call (each vendor spec is parsed once). */
async function vendorDocument(key: SpecKey): Promise<JsonObject> {
  if (!vendorDocuments.has(key))
    vendorDocuments.set(key, parse(await readFile(join(REPO_ROOT, SPEC_FILES[key]), 'utf8')));
  return structuredClone(vendorDocuments.get(key)) as JsonObject;
}

const run = (args: string[], options: Parameters<typeof runConformance>[1] = {}) =>
  runConformance(args, { killAfterMs: KILL_AFTER_MS, ...options });

/**
 * `case [check]` of what --strict must fail: per case, the checks the relaxed run skipped as refuting
 * an assumption, less those an earlier one would hide once it fails (the registry's precedence).
 */
function refutingChecks(junit: string | undefined): string[] {
  const byCase = new Map<string, { name: string; check: string }[]>();
  for (const testcase of junitCases(junit ?? '')) {
    if (testcase.suite === 'assumptions' || !testcase.message?.startsWith('refutes ')) continue;
    const match = /^#(\d+) (.*) \[([a-z_]+)\]$/.exec(testcase.name);
    if (!match) throw new Error(`unexpected JUnit test case name ${testcase.name}`);
    byCase.set(match[1]!, [...(byCase.get(match[1]!) ?? []), { name: match[2]!, check: match[3]! }]);
  }
  const hides = new Map(REGISTRY.map((c) => [c.name, c.hides]));
  const kept: string[] = [];
  for (const checks of byCase.values()) {
    const failing: string[] = [];
    for (const { name, check } of checks) {
      const hidden = failing.some((earlier) => {
        const hider = hides.get(earlier);
        return hider === 'all' || (hider ?? []).includes(check);
      });
      if (hidden) continue;
      failing.push(check);
      kept.push(`${name} [${check}]`);
    }
  }
  return kept.sort();
}

/** `case [check]` of every failure of a run, sorted. */
const failedChecks = (result: RunResult): string[] =>
  (result.report?.failures ?? []).map((f) => `${String(f.case)} [${f.check}]`).sort();

/** The spec with the Overlay applied, written where the runner can read it. */
async function calibratedSpec(calibration: Calibration, overlayText: string): Promise<string> {
  const spec = await vendorDocument(calibration.key);
  const overlay = parse(overlayText) as { actions: { target: string }[] };
  const { data, resultData } = await openapiOverlay(spec, { overlaySet: overlay });
  expect(resultData.unusedActions, 'every action of the overlay changes the spec').toEqual([]);
  const file = join(tmp, `${calibration.name.replace(/\W+/g, '-')}.yaml`);
  await writeFile(file, stringify(data, { lineWidth: 0 }));
  return file;
}

interface Outcome {
  server: RunningServer;
  /** The operations that answered a 2xx in the first run. */
  working: Set<string | undefined>;
  relaxed: RunResult;
  strict: RunResult;
  calibrated: RunResult;
  specFile: string;
  caught: RunResult;
}

async function calibrate(calibration: Calibration): Promise<Outcome> {
  const server = await documentedOnlyServer(calibration);
  const strictServer = await documentedOnlyServer(calibration);
  // Every example, boundary and violation case (8x8's createContact has the most, 129): every refuted
  // rule is met by one of them; the random bodies that fill the rest add nothing here.
  const base = (target: RunningServer) => [
    ...targetArgs(calibration.key, target),
    ...COMMON,
    '--max-cases',
    '130',
    ...calibration.args,
  ];
  const [relaxed, strict] = await Promise.all([
    run(base(server), { junit: true, overlay: true, ...clockOf(server) }),
    run([...base(strictServer), '--strict'], { junit: true, ...clockOf(strictServer) }),
  ]);
  const working = new Set(server.log.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.operationId));
  if (relaxed.overlay === undefined) throw new Error(`no overlay written\n${relaxed.describe()}`);
  const specFile = await calibratedSpec(calibration, relaxed.overlay);
  // The same server, now holding the first run's records: another seed makes other unique names.
  const again = (target: RunningServer) => [
    ...base(target).map((arg) => (arg === SPEC_FILES[calibration.key] ? specFile : arg)),
    '--seed',
    '8',
  ];
  const faulty = await documentedOnlyServer(calibration, calibration.documentedFault.name);
  const [calibrated, caught] = await Promise.all([
    run(again(server), clockOf(server)),
    run(again(faulty), clockOf(faulty)),
  ]);
  return { server, working, relaxed, strict, calibrated, specFile, caught };
}

const outcomes = new Map(CALIBRATIONS.map((c) => [c.name, eager(schedule(() => calibrate(c)))]));

const context = (result: RunResult): string => `${result.describe()}\n${summarize(result.report)}`;

describe.concurrent('a server that does only what the vendor documents', () => {
  test.each(CALIBRATIONS.map((c) => [c.name, c] as const))(
    '%s: exit 0, the refuted assumptions exactly, each entry complete',
    async (name, { key, refutes }) => {
      const { relaxed, server, working } = await outcomes.get(name)!;
      expect(relaxed.report?.failures, context(relaxed)).toEqual([]);
      expect(relaxed.code, context(relaxed)).toBe(0);
      expect(refutedAssumptions(relaxed.report), context(relaxed)).toEqual(refutes);
      expect(relaxed.report!.summary.assumptions.refuted).toBe(refutes.length);
      expect(relaxed.report!.strict).toBe(false);
      expect(server.violations, 'the documented-only server answers within the documented rules').toEqual([]);

      const document = await vendorDocument(key);
      const spec = await specFor(key);
      // Every operation did its work (past the limit, the burst's create is all that gets through).
      if (!name.includes('past its limit')) {
        const idle = spec.operations.map((o) => o.operationId).filter((id) => !working.has(id));
        expect(idle, context(relaxed)).toEqual([]);
      }
      for (const entry of relaxed.report!.assumptions) {
        expect(Object.keys(entry).sort()).toEqual(
          ['case', 'keyword', 'mediaType', 'operationId', 'pointer', 'reason', 'status', 'verdict'].sort(),
        );
        // The reason is the spec's own mark, at the node the pointer names.
        const node = getPointer(document, entry.pointer);
        const marks = isObject(node) ? node['x-inferred'] : undefined;
        expect(isObject(marks) ? marks[entry.keyword] : undefined, entry.pointer).toBe(entry.reason);
        expect(spec.operations.map((o) => o.operationId)).toContain(entry.operationId);
        if (entry.verdict === 'untested') {
          expect(entry.case).toBeNull();
          expect(entry.status).toBeNull();
          expect(entry.mediaType).toBeNull();
        } else {
          expect(entry.case).toEqual(expect.any(String));
          expect(Number.isInteger(entry.status)).toBe(true);
        }
      }
      // The JUnit suite of assumptions: refuted and untested ones skipped, confirmed ones passed.
      const suite = junitCases(relaxed.junit ?? '').filter((c) => c.suite === 'assumptions');
      expect(suite.map((c) => [c.name, c.outcome])).toEqual(
        relaxed.report!.assumptions.map((a) => [
          `${a.keyword} at ${a.pointer}`,
          a.verdict === 'confirmed' ? 'passed' : 'skipped',
        ]),
      );
    },
    CALIBRATION_MS,
  );

  test.each(CALIBRATIONS.map((c) => [c.name, c] as const))(
    '%s --strict: exit 1, failing exactly where the assumptions were refuted',
    async (name, { refutes }) => {
      const { relaxed, strict } = await outcomes.get(name)!;
      expect(strict.code, context(strict)).toBe(1);
      expect(strict.report!.strict).toBe(true);
      expect(refutedAssumptions(strict.report), context(strict)).toEqual(refutes);
      const refuting = refutingChecks(relaxed.junit);
      expect(refuting.length).toBeGreaterThan(0);
      expect(failedChecks(strict), context(strict)).toEqual(refuting);
      const suite = junitCases(strict.junit ?? '').filter((c) => c.suite === 'assumptions' && c.outcome === 'failed');
      expect(suite.map((c) => c.name)).toEqual(refutes.map((a) => `${a.keyword} at ${a.pointer}`));
    },
    CALIBRATION_MS,
  );
});

describe.concurrent('--report-overlay calibrates the spec to the server', () => {
  test.each(CALIBRATIONS.map((c) => [c.name, c] as const))(
    '%s: an Overlay 1.0.0 of objects and arrays; the calibrated spec refutes nothing and passes',
    async (name, calibration) => {
      const { relaxed, calibrated, specFile } = await outcomes.get(name)!;
      const overlay = parse(relaxed.overlay!) as {
        overlay: string;
        info: { title: string; version: string };
        extends: string;
        actions: { target: string; description?: string; remove?: boolean; update?: unknown }[];
      };
      expect(overlay.overlay).toBe('1.0.0');
      expect(overlay.info).toEqual({ title: expect.any(String), version: expect.any(String) });
      expect(overlay.extends).toBe(SPEC_FILES[calibration.key]);
      expect(overlay.actions.length).toBeGreaterThan(0);
      // Overlay 1.0.0: a target selects objects or arrays, never primitives; applied in order.
      let document = await vendorDocument(calibration.key);
      for (const action of overlay.actions) {
        const selected = resolveJsonPathValue(document, action.target);
        expect(selected.length, action.target).toBeGreaterThan(0);
        for (const node of selected) expect(typeof node === 'object' && node !== null, action.target).toBe(true);
        document = (await openapiOverlay(document, { overlaySet: { overlay: '1.0.0', actions: [action] } }))
          .data as JsonObject;
      }
      // Only the refuted rules and their marks are gone; a refuted media type is the one the server
      // answered, still marked as ours.
      const patched = parse(await readFile(specFile, 'utf8')) as JsonObject;
      for (const { pointer, keyword } of calibration.refutes) {
        const node = getPointer(patched, pointer) as JsonObject;
        if (keyword === 'response') {
          // A refusal the server never made is gone: the status it answered instead is documented already.
          expect(node, pointer).toBeUndefined();
          continue;
        }
        const mark = isObject(node['x-inferred']) ? node['x-inferred'][keyword] : undefined;
        if (keyword === 'mediaType') {
          expect(Object.keys(node.content as JsonObject), pointer).toEqual(['application/json']);
          expect(mark).toMatch(/^the server answered application\/json \(".+"\) where application\/problem\+json was/);
          continue;
        }
        expect(node[keyword], `${keyword} at ${pointer}`).toBeUndefined();
        expect(mark).toBeUndefined();
      }

      expect(calibrated.report?.failures, context(calibrated)).toEqual([]);
      expect(calibrated.code, context(calibrated)).toBe(0);
      expect(refutedAssumptions(calibrated.report), context(calibrated)).toEqual([]);
      const removed = calibration.refutes.filter((a) => a.keyword !== 'mediaType');
      expect(calibrated.report!.assumptions.length).toBe(relaxed.report!.assumptions.length - removed.length);
    },
    CALIBRATION_MS,
  );

  test.each(CALIBRATIONS.map((c) => [c.name, c] as const))(
    '%s: a fault on a documented rule is still caught by its check under the calibrated spec',
    async (name, { documentedFault }) => {
      const { caught } = await outcomes.get(name)!;
      expect(failingChecks(caught.report), context(caught)).toEqual([documentedFault.expected]);
      expect(caught.code, context(caught)).toBe(1);
      expect(refutedAssumptions(caught.report), context(caught)).toEqual([]);
    },
    CALIBRATION_MS,
  );
});

test('a refuted status moves to the status the server answered, still marked as ours', async () => {
  const { spec: key, fault } = ASSUMPTION_FAULTS.find((f) => f.fault.name === 'easify-create-answers-201')!;
  const server = await startReferenceServer(key, { faults: [fault], rateLimit: false });
  servers.push(server);
  const args = [...targetArgs(key, server), ...COMMON];
  const first = await run(args, { overlay: true });
  expect(refutedAssumptions(first.report), context(first)).toEqual([
    { pointer: `${AT.easify}/responses/200`, keyword: 'response' },
  ]);
  const calibration = CALIBRATIONS.find((c) => c.name === 'easify')!;
  const specFile = await calibratedSpec({ ...calibration, name: 'easify-201' }, first.overlay!);
  const responses = getPointer(parse(await readFile(specFile, 'utf8')), `${AT.easify}/responses`) as JsonObject;
  expect(Object.keys(responses)).not.toContain('200');
  const moved = responses['201'] as JsonObject;
  expect(moved.content).toBeDefined();
  expect((moved['x-inferred'] as JsonObject).response).toMatch(
    /^the server answered 201 \(".+"\) where 200 was assumed$/,
  );

  const again = await run([...args.map((arg) => (arg === SPEC_FILES[key] ? specFile : arg)), '--seed', '8']);
  expect(again.report?.failures, context(again)).toEqual([]);
  expect(again.code, context(again)).toBe(0);
  expect(refutedAssumptions(again.report), context(again)).toEqual([]);
  // The answer's status is still only what the server showed: the moved mark is confirmed, not gone.
  expect(again.report!.assumptions.find((a) => a.keyword === 'response')).toMatchObject({
    pointer: `${AT.easify}/responses/201`,
    verdict: 'confirmed',
  });
});
