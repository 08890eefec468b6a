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
import { SPEC_FILES } from '../support/reference-server.js';
import {
  COMMON,
  eager,
  type ReportFailure,
  type RunResult,
  refutedAssumptions,
  runConformance,
  summarize,
} from '../support/runner.js';
import { HAS_VENDOR, VENDOR_DIR } from '../support/vendor.js';

const prisms: RunningPrism[] = [];
afterAll(async () => {
  await Promise.all(prisms.map((p) => p.close()));
});

async function underPrism(vendorFile: string, spec: string, credentials: string): Promise<RunResult> {
  const file = join(VENDOR_DIR, vendorFile);
  await access(file);
  const prism = await startPrism(file);
  prisms.push(prism);
  return runConformance(
    ['--spec', spec, '--base-url', prism.baseUrl, '--header', `Authorization: ${credentials}`, ...COMMON],
    { killAfterMs: 90_000 },
  );
}

const eightByEight = HAS_VENDOR
  ? eager(underPrism('8x8-contacts_api.json', SPEC_FILES['8x8'], 'Bearer any-key'))
  : undefined;
const eloqua = HAS_VENDOR
  ? eager(underPrism('eloqua-contact-segments-extract.yaml', SPEC_FILES.eloqua, 'Basic c2l0ZVx1c2VyOnBhc3M='))
  : undefined;

const ID = 'must match pattern "^-?[0-9]+$"';
const DIGITS = 'must match pattern "^[0-9]+$"';
const DEPTH = 'must be one of ["minimal","partial","complete"]';
const BOOLEAN = 'must be one of ["true","false"]';
const MSISDN = 'must match pattern "^\\+{0,1}[1-9]{1}[0-9]{6,14}$"';

const casesOf = (failures: ReportFailure[], check: string): string[] =>
  failures.filter((f) => f.check === check).map((f) => String(f.case));
const errorsOf = (failure: ReportFailure): string[] => (failure as ReportFailure & { errors?: string[] }).errors ?? [];
const context = (run: RunResult): string => `${run.describe()}\n${summarize(run.report)}`;

/** Check -> operationId -> the statuses its failures got: where each of Prism's ways shows. */
function failureMap(failures: ReportFailure[]): Record<string, Record<string, number[]>> {
  const map: Record<string, Record<string, number[]>> = {};
  for (const failure of failures) {
    const statuses = ((map[failure.check] ??= {})[failure.operationId] ??= []);
    const status = failure.response?.status ?? -1;
    if (!statuses.includes(status)) statuses.push(status);
    statuses.sort((a, b) => a - b);
  }
  return map;
}

// Prism answers slowly (it validates and generates every answer): each run has its own bound, and the
// tests, which wait for runs started at load, allow for it on a loaded machine.
describe
  .skipIf(!HAS_VENDOR)
  .concurrent('Prism serving the vendor definitions, checked with our specs', { timeout: 120_000 }, () => {
    test('8x8: no content_type failure; the inferred rules refuted, not failed; the rest is Prism', async () => {
      const run = (await eightByEight)!;
      expect(run.timedOut, context(run)).toBe(false);
      const failures = run.report!.failures;
      expect(failureMap(failures), context(run)).toEqual({
        // Every contact Prism returns is its placeholder for 8x8's 200 (no example there), whose msisdn
        // "string" breaks 8x8's own pattern; it answers 200 (merged) to every valid create.
        response_schema: { searchContacts: [200], createContact: [200], getContact: [200], updateContact: [200] },
        // "At least one address should be provided" is 8x8's prose, which Prism cannot read. (Prism's 422
        // to a malformed account id on the delete, where 8x8 documents no refusal at all, refutes the 404
        // we assumed there, and its status is left to status_code_documented.)
        negative_data_rejected: { createContact: [200] },
        // A body Prism cannot parse gets Prism's own 400, not 8x8's error format.
        error_format: { createContact: [400], updateContact: [400], createGroup: [400], updateGroup: [400] },
        // Prism answers in its own statuses (422) where 8x8 documents none; to a malformed body of the
        // group's members, where 8x8 documents a 404 only (no refusal of a body), its 400 and 415 are not asked about.
        status_code_documented: {
          getContact: [422],
          getGroup: [422],
          deleteGroup: [422],
          addContactsToGroup: [422],
          removeContactsFromGroup: [422],
        },
        // 8x8 defines a body for its 204 of deleteGroup: Prism sends one, shorter than it announces.
        not_a_server_error: { deleteGroup: [204] },
        // Prism keeps no state: an id never created is found, a deleted contact still read.
        resource_availability: {
          getContact: [200],
          updateContact: [200],
          deleteContact: [204],
          getGroup: [200],
          updateGroup: [200],
          addContactsToGroup: [201],
          removeContactsFromGroup: [200],
        },
        // ... two stored contacts matching a create's addresses merge nonetheless, a taken group name is
        // taken again, and a read shows Prism's example, not what the run wrote.
        stateful_rules: { createContact: [200], getContact: [200], createGroup: [201], getGroup: [200] },
      });
      for (const failure of failures.filter((f) => f.check === 'response_schema')) {
        const at = failure.operationId === 'searchContacts' ? '/items/0' : '';
        expect(errorsOf(failure), context(run)).toEqual([`${at}/addresses/msisdn: ${MSISDN}`]);
      }
      expect(
        failures
          .filter((f) => f.check === 'negative_data_rejected' && f.operationId === 'createContact')
          .map((f) => f.case),
      ).toEqual(['negative: /addresses a value no anyOf branch accepts']);
      expect(new Set(casesOf(failures, 'error_format'))).toEqual(new Set(['negative: malformed JSON']));
      for (const failure of failures.filter((f) => f.check === 'not_a_server_error')) {
        expect(JSON.stringify(failure)).toMatch(/content-length/i);
      }
      expect(casesOf(failures, 'stateful_rules').sort(), context(run)).toEqual([
        'lifecycle: getContact the record after the create',
        'lifecycle: getContact the record after the updateContact',
        'lifecycle: getGroup the record after the create',
        'lifecycle: getGroup the record after the updateGroup',
        'stateful: createContact addresses matching both records (conflict)',
        'stateful: createGroup a duplicate name',
      ]);
      const contact = '/paths/~1api~1v1~1accounts~1{accountId}~1contacts~1{contactId}';
      const groups = '/paths/~1api~1v1~1accounts~1{accountId}~1groups';
      const refuted: AssumptionKey[] = [
        // 8x8 leaves the bodies optional, and so does Prism.
        { pointer: `${AT['8x8']}/requestBody`, keyword: 'required' },
        // 8x8 documents no 401: Prism's own security answer is a problem+json.
        { pointer: `${AT['8x8']}/responses/401`, keyword: 'content' },
        { pointer: `${contact}/patch/requestBody`, keyword: 'required' },
        // 8x8 documents only 204 for the contact delete: Prism refuses an invalid account id there with
        // its own 422, not with the 404 or the 401 we assume.
        { pointer: `${contact}/delete/responses/404`, keyword: 'response' },
        { pointer: `${groups}/post/requestBody`, keyword: 'required' },
        { pointer: `${groups}~1{groupId}/patch/requestBody`, keyword: 'required' },
        { pointer: '/components/responses/Unauthorized', keyword: 'response' },
        // Prism's 401 is its own problem+json, here as on the create.
        { pointer: '/components/responses/Unauthorized', keyword: 'content' },
      ];
      expect(refutedAssumptions(run.report), context(run)).toEqual(refuted);
      expect(run.code).toBe(1);
    });

    test('Eloqua: no content_type failure; the inferred rules refuted; the rest is Prism', async () => {
      const run = (await eloqua)!;
      expect(run.timedOut, context(run)).toBe(false);
      const failures = run.report!.failures;
      expect(failureMap(failures), context(run)).toEqual({
        // Prism's placeholder segment has "string" wherever Oracle says string.
        response_schema: { createContactSegment: [201], listContactSegments: [200] },
        // Oracle's definition declares no security, so Prism lets every caller in. The created id is
        // Prism's placeholder "string", which our integer path refuses: the cases that would carry it are
        // not sent (the create's answer is already a response_schema failure).
        ignored_auth: { createContactSegment: [201], listContactSegments: [200] },
        // count 1..1000 and page >= 1 are Oracle's URL parameters page, not its definition.
        negative_data_rejected: { listContactSegments: [200] },
        // Prism keeps no state: an id never created is found ...
        resource_availability: {
          getContactSegment: [200],
          updateContactSegment: [200],
          copyContactSegment: [201],
          deleteContactSegment: [200],
        },
        // ... and a name taken a moment ago is created again.
        stateful_rules: { createContactSegment: [201] },
      });
      const misfits = run.report!.notSentBy.filter((n) =>
        n.reason.startsWith('createContactSegment answered "string" for id, which the parameter\'s schema refuses'),
      );
      expect(new Set(misfits.map((n) => n.operationId)), context(run)).toEqual(
        new Set(['getContactSegment', 'updateContactSegment', 'copyContactSegment', 'deleteContactSegment']),
      );
      // Our inferred patterns and enums break, and so does the depth Oracle's own description limits to
      // three values: the one rule among these that makes the body a failure rather than a refutation.
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
        `/depth: ${DEPTH}`,
        `/count: ${DIGITS}`,
        `/lastCalculatedAt: ${DIGITS}`,
        `/isStale: ${BOOLEAN}`,
      ];
      const bodies = failures.filter((f) => f.check === 'response_schema');
      expect(bodies.length, context(run)).toBeGreaterThan(10);
      for (const failure of bodies) {
        // The list's one item is the same placeholder.
        const at = failure.operationId === 'listContactSegments' ? '/elements/0' : '';
        expect(errorsOf(failure)).toEqual(placeholder.map((line) => `${at}${line}`));
      }
      expect(casesOf(failures, 'negative_data_rejected')).toEqual([
        'negative: query count below minimum 1',
        'negative: query count above maximum 1000',
        'negative: query page below minimum 1',
      ]);
      expect(new Set(casesOf(failures, 'ignored_auth'))).toEqual(
        new Set(['auth: no credentials', 'auth: wrong scheme (Digest)']),
      );
      expect(casesOf(failures, 'stateful_rules')).toEqual(['stateful: createContactSegment a duplicate name']);
      const refuted: AssumptionKey[] = [
        // Oracle documents its 400s without a body, and Prism sends none.
        { pointer: `${AT.eloqua}/responses/400`, keyword: 'content' },
        { pointer: '/components/responses/ValidationFailed', keyword: 'content' },
        { pointer: '/components/responses/BadRequestMessage', keyword: 'content' },
        // Oracle's definition requires no name and bounds none, and lets isIncluded be any string.
        { pointer: '/components/schemas/ContactSegment', keyword: 'required' },
        { pointer: '/components/schemas/ContactSegment/properties/name', keyword: 'minLength' },
        { pointer: '/components/schemas/SegmentElement/properties/isIncluded', keyword: 'enum' },
      ];
      expect(refutedAssumptions(run.report), context(run)).toEqual(refuted);
      expect(run.code).toBe(1);
    });
  });
