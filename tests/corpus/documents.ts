/**
 * The corpus: public API descriptions nobody here wrote (tests/corpus/SOURCES.md), plus 8x8's own
 * contacts definition read in place from ../shared/vendor/, and for each the failures the runner
 * reports against our mock that are genuine flaws of the document (check + operation, exact).
 */
import { join } from 'node:path';
import { VENDOR_DIR } from '../support/vendor.js';

export interface CorpusDocument {
  /** Path from the repository root. */
  file: string;
  operations: number;
  /** `check operationId` of every failure against the mock, sorted; each one a flaw of the document. */
  flaws: string[];
}

export { HAS_VENDOR } from '../support/vendor.js';
export const VENDOR_8X8 = join(VENDOR_DIR, '8x8-contacts_api.json');

/** Seed and bound of every corpus run: small, so 14 documents run in seconds. */
// The timeout is generous: a loaded machine must not turn a slow answer into a failure of the document.
export const RUN_ARGS = ['--seed', '7', '--max-cases', '5', '--concurrency', '8', '--timeout', '30000'];

const each = (check: string, operations: string[]): string[] => operations.map((op) => `${check} ${op}`);

export const DOCUMENTS: CorpusDocument[] = [
  {
    file: 'tests/corpus/swagger2-petstore.yaml',
    operations: 20,
    flaws: [
      // No 2xx documented at all (only 400/404/405): every valid request gets a 4xx.
      ...each('positive_data_accepted', [
        'addPet',
        'deleteOrder',
        'deletePet',
        'deleteUser',
        'updatePet',
        'updatePetWithForm',
        'updateUser',
      ]),
    ],
  },
  { file: 'tests/corpus/oai-petstore-separate/spec/swagger.json', operations: 4, flaws: [] },
  { file: 'tests/corpus/oai-uber.json', operations: 5, flaws: [] },
  { file: 'tests/corpus/oai-link-example.json', operations: 6, flaws: [] },
  { file: 'tests/corpus/swagger-petstore-3.0.yaml', operations: 19, flaws: [] },
  {
    file: 'tests/corpus/vonage-reports.yaml',
    operations: 6,
    flaws: [
      // The 200 of get-records and its 422 are `oneOf`s whose branches accept the same values (no
      // discriminator), so no body fits exactly one: the documented example breaks the 200 and no
      // value can be made for the 422 (the mock sends none). The report create's body is such a
      // `oneOf` too, so no report is ever made: get-report and cancel-report, sent with the example
      // id, get the mock's 404 for a report it never stored, which names no record of the run.
      'error_format get-records',
      'response_schema get-records',
    ],
  },
  {
    file: 'tests/corpus/vonage-verify.yaml',
    operations: 5,
    // Errors are documented as 200 bodies, no 4xx anywhere: an invalid request's 400 is the refusal
    // it asked for, which no documented status could be (not judged).
    flaws: [],
  },
  {
    file: 'tests/corpus/readme-api.json',
    operations: 36,
    flaws: [
      // The 401 (and these 400s) are a `oneOf` of two error schemas with the same shape: every value
      // matches both, so none fits, and the mock sends no body where the schema wants one.
      ...each('error_format', [
        'createCustomPage',
        'createDoc',
        'createVersion',
        'deleteAPISpecification',
        'deleteCustomPage',
        'deleteDoc',
        'deleteVersion',
        'getAPISpecification',
        'getCustomPage',
        'getCustomPages',
        'getDoc',
        'getProductionDoc',
        'getProject',
        'getVersion',
        'getVersions',
        'searchDocs',
        'updateAPISpecification',
        'updateCustomPage',
        'updateDoc',
        'updateVersion',
        'uploadAPISpecification',
      ]),
    ],
  },
  {
    file: 'tests/corpus/readme-schema-types-3.1.yaml',
    operations: 23,
    // No operation documents any response: whatever is answered is undocumented.
    flaws: each('status_code_documented', [
      'array_schemaSupport',
      'array_topLevelObjects',
      'array_topLevelPrimitives',
      'boolean_schemaSupport',
      'boolean_topLevel',
      'circular_handling',
      'circular_topLevel',
      'mixed_schemaSupport',
      'null_schemaSupport',
      'number_formatSupport',
      'number_schemaSupport',
      'number_topLevel',
      'object_schemaSupport',
      'quirks_incompatibleNestedAllOf',
      'quirks_missingType',
      'raw_body_topLevel',
      'raw_body_topLevelJSON',
      'string_formatSupport',
      'string_schemaSupport',
      'string_topLevel',
      'string_topLevelJSON',
    ]),
  },
  { file: 'tests/corpus/redocly-cafe/openapi.yaml', operations: 12, flaws: [] },
  { file: 'tests/corpus/redocly-museum.yaml', operations: 8, flaws: [] },
  { file: 'tests/corpus/adyen-transfers-v4.json', operations: 12, flaws: [] },
  { file: 'tests/corpus/adyen-management-v3.json', operations: 134, flaws: [] },
];

/** 8x8's published definition (OpenAPI 3.0.0), read where the vendor folder keeps it. */
export const EIGHT_BY_EIGHT: CorpusDocument = {
  file: VENDOR_8X8,
  operations: 20,
  // The 204 of delete-group documents an application/json body, which no 204 can carry (RFC 9110):
  // the body checks do not judge a 204. delete-single-contact documents its 204 alone: its 401
  // without the API key and its 400 for a malformed accountId are the refusals those cases asked for
  // (not judged).
  flaws: [],
};
