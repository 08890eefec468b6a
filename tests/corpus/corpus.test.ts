/**
 * Public API descriptions nobody here wrote (Swagger 2.0, OpenAPI 3.0 and 3.1; tests/corpus/SOURCES.md)
 * and 8x8's own definition: the loader accepts each, the mock serves it, and the runner against the
 * mock exits 0 or reports exactly the document's own flaws (explained in documents.ts and SOURCES.md).
 * The largest document runs in corpus-large.test.ts, beside this file, so the two run in parallel.
 */
import { describe, test } from 'vitest';
import { checkDocument } from './check-document.js';
import { DOCUMENTS, EIGHT_BY_EIGHT, HAS_VENDOR } from './documents.js';

describe('corpus against the mock', () => {
  for (const document of DOCUMENTS.filter((d) => !d.file.endsWith('adyen-management-v3.json'))) {
    test.concurrent(document.file.replace('tests/corpus/', ''), () => checkDocument(document));
  }
  test.skipIf(!HAS_VENDOR)('8x8-contacts_api.json, read in place from ../shared/vendor (skipped only when that folder is absent)', () =>
    checkDocument(EIGHT_BY_EIGHT),
  );
});
