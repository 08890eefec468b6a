/**
 * The vendors' own definitions under Prism, judged with our specs. Prism validates requests against
 * the vendor's file, so it enforces what the vendor's schemas state and nothing we inferred: the
 * runner must count our inferred rules as refuted assumptions, never as failures. What still fails
 * is Prism's own doing, listed exactly here (and in docs/CONFORMANCE.md, "Vendor definitions under
 * Prism"): its placeholder bodies break the vendor's own rules, it keeps no state, it cannot read a
 * rule the vendor writes in prose, and it answers in its own words where the vendor's file is silent.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type AssumptionKey, AT } from '../support/faulty-servers.js';
import { type RunningPrism, startPrism } from '../support/prism.js';
import { REPO_ROOT, SPEC_FILES } from '../support/reference-server.js';
import {
  COMMON,
  eager,
  failingChecks,
  type ReportFailure,
  type RunResult,
  refutedAssumptions,
  runConformance,
  summarize,
} from '../support/runner.js';

/** shared/ sits beside the repository, on developers' machines and in CI alike. */
const VENDOR = join(REPO_ROOT, '..', 'shared', 'vendor');

const prisms: RunningPrism[] = [];
afterAll(async () => {
  await Promise.all(prisms.map((p) => p.close()));
});

async function underPrism(vendorFile: string, spec: string, credentials: string): Promise<RunResult> {
  const file = join(VENDOR, vendorFile);
  await access(file);
  const prism = await startPrism(file);
  prisms.push(prism);
  return runConformance(
    ['--spec', spec, '--base-url', prism.baseUrl, '--header', `Authorization: ${credentials}`, ...COMMON],
    { killAfterMs: 90_000 },
  );
}

const eightByEight = eager(underPrism('8x8-contacts_api.json', SPEC_FILES['8x8'], 'Bearer any-key'));
const eloqua = eager(
  underPrism('eloqua-contact-segments-extract.yaml', SPEC_FILES.eloqua, 'Basic c2l0ZVx1c2VyOnBhc3M='),
);

const ID = 'must match pattern "^-?[0-9]+$"';
const DIGITS = 'must match pattern "^[0-9]+$"';
const DEPTH = 'must be one of ["minimal","partial","complete"]';
const BOOLEAN = 'must be one of ["true","false"]';

const casesOf = (failures: ReportFailure[], check: string): string[] =>
  failures.filter((f) => f.check === check).map((f) => String(f.case));
const errorsOf = (failure: ReportFailure): string[] => (failure as ReportFailure & { errors?: string[] }).errors ?? [];
const context = (run: RunResult): string => `${run.describe()}\n${summarize(run.report)}`;

// Prism answers slowly (it validates and generates every answer): each run has its own bound, and the
// tests, which wait for runs started at load, allow for it on a loaded machine.
describe.concurrent('Prism serving the vendor definitions, checked with our specs', { timeout: 120_000 }, () => {
  test('8x8: no content_type failure; the inferred rules refuted, not failed; the rest is Prism', async () => {
    const run = await eightByEight;
    expect(run.timedOut, context(run)).toBe(false);
    const failures = run.report!.failures;
    expect(failingChecks(run.report), context(run)).toEqual([
      'error_format',
      'negative_data_rejected',
      'response_schema',
      'stateful_rules',
    ]);
    // Every contact Prism returns is its placeholder for 8x8's 200 (no example there), whose msisdn
    // "string" breaks 8x8's own pattern; it answers 200 to every valid create.
    const bodies = failures.filter((f) => f.check === 'response_schema');
    expect(bodies.length, context(run)).toBeGreaterThan(10);
    for (const failure of bodies) {
      expect(failure.response?.status).toBe(200);
      expect(errorsOf(failure)).toEqual(['/addresses/msisdn: must match pattern "^\\+{0,1}[1-9]{1}[0-9]{6,14}$"']);
    }
    // "At least one address should be provided" is 8x8's prose (the description of its address
    // list), which Prism cannot read: an empty addresses object passes its validation.
    expect(casesOf(failures, 'negative_data_rejected')).toEqual([
      'negative: /addresses a value no anyOf branch accepts',
    ]);
    // A body Prism cannot parse gets Prism's own 400, not 8x8's error format.
    expect(casesOf(failures, 'error_format')).toEqual(['negative: malformed JSON']);
    // Prism keeps no state: addresses matching two stored contacts are created (200) again.
    expect(casesOf(failures, 'stateful_rules')).toEqual([
      'stateful: createContact addresses matching both records (conflict)',
    ]);
    const refuted: AssumptionKey[] = [
      // 8x8 leaves the body optional, and so does Prism.
      { pointer: `${AT['8x8']}/requestBody`, keyword: 'required' },
      // 8x8 documents no 401: Prism's own security answer is a problem+json.
      { pointer: `${AT['8x8']}/responses/401`, keyword: 'content' },
    ];
    expect(refutedAssumptions(run.report), context(run)).toEqual(refuted);
    expect(run.code).toBe(1);
  });

  test('Eloqua: no negative_data_rejected or content_type failure; the inferred rules refuted; the rest is Prism', async () => {
    const run = await eloqua;
    expect(run.timedOut, context(run)).toBe(false);
    const failures = run.report!.failures;
    expect(failingChecks(run.report), context(run)).toEqual(['ignored_auth', 'response_schema', 'stateful_rules']);
    // Prism's placeholder segment has "string" wherever Oracle says string: our inferred patterns
    // and enums break, and so does the depth Oracle's own description limits to three values.
    const bodies = failures.filter((f) => f.check === 'response_schema');
    expect(bodies.length, context(run)).toBeGreaterThan(10);
    const placeholder = [
      ...['/id', '/elements/0/id', '/elements/0/folderId'].map((at) => `${at}: ${ID}`),
      `/elements/0/createdAt: ${DIGITS}`,
      `/elements/0/createdBy: ${ID}`,
      `/elements/0/updatedAt: ${DIGITS}`,
      `/elements/0/updatedBy: ${ID}`,
      `/elements/0/depth: ${DEPTH}`,
      `/elements/0/count: ${DIGITS}`,
      `/elements/0/lastCalculatedAt: ${DIGITS}`,
      `/elements/0/isIncluded: ${BOOLEAN}`,
      `/folderId: ${ID}`,
      `/createdAt: ${DIGITS}`,
      `/createdBy: ${ID}`,
      `/updatedAt: ${DIGITS}`,
      `/updatedBy: ${ID}`,
      // Stated: the one rule among these that makes the body a failure rather than a refutation.
      `/depth: ${DEPTH}`,
      `/count: ${DIGITS}`,
      `/lastCalculatedAt: ${DIGITS}`,
      `/isStale: ${BOOLEAN}`,
    ];
    for (const failure of bodies) {
      expect(failure.response?.status).toBe(201);
      expect(errorsOf(failure)).toEqual(placeholder);
    }
    // Oracle's definition declares no security, so Prism lets every caller in.
    expect(casesOf(failures, 'ignored_auth')).toEqual(['auth: no credentials', 'auth: wrong scheme (Digest)']);
    // Prism keeps no state: a name taken a moment ago is created again.
    expect(casesOf(failures, 'stateful_rules')).toEqual(['stateful: createContactSegment a duplicate name']);
    const refuted: AssumptionKey[] = [
      // Oracle documents the 400 without a body, and Prism sends none.
      { pointer: `${AT.eloqua}/responses/400`, keyword: 'content' },
      // Oracle's definition requires no name and bounds none, and lets isIncluded be any string.
      { pointer: '/components/schemas/ContactSegment', keyword: 'required' },
      { pointer: '/components/schemas/ContactSegment/properties/name', keyword: 'minLength' },
      { pointer: '/components/schemas/SegmentElement/properties/isIncluded', keyword: 'enum' },
    ];
    expect(refutedAssumptions(run.report), context(run)).toEqual(refuted);
    expect(run.code).toBe(1);
  });
});
