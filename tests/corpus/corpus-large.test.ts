/** The largest corpus document (134 operations, 1.4 MB) end to end, in a file of its own to run beside the rest. */
import { test } from 'vitest';
import { checkDocument } from './check-document.js';
import { DOCUMENTS } from './documents.js';

test('adyen-management-v3.json against the mock', () =>
  checkDocument(DOCUMENTS.find((d) => d.file.endsWith('adyen-management-v3.json'))!));
