/**
 * The same documents served by real Prism (`prism mock <file>`, which validates every request
 * against the document as it is): a request the runner generated as valid must pass Prism's
 * validation, so no positive case may come back with Prism's `sl-violations` header, except where
 * Prism itself reads the document differently (each exclusion below says how).
 */
import { describe, expect, test } from 'vitest';
import { readDocument } from '../../lib/document.js';
import { isObject } from '../../lib/json.js';
import { startPrism } from '../support/prism.js';
import { eager, pool, runConformance } from '../support/runner.js';
import { type CorpusDocument, DOCUMENTS, EIGHT_BY_EIGHT, HAS_VENDOR } from './documents.js';

interface Violation {
  location: string[];
  code: string | number;
  message: string;
}

/** What a gap may need to know of the request and of the document. */
interface Seen {
  url: string;
  file: string;
  contentType: string;
  /** The names of the properties the document marks readOnly. */
  readOnly: ReadonlySet<string>;
}

interface Gap {
  why: string;
  applies: (violation: Violation, seen: Seen) => boolean;
}

// OpenAPI 3.0.3 (Schema Object): a readOnly property in `required` is required in responses only;
// Prism requires it in requests too (Redocly's café requires the menu item's server-made `id`).
const READ_ONLY_REQUIRED: Gap = {
  why: 'a required readOnly property is required in requests',
  applies: (v, { readOnly }) => readOnly.has(/must have required property '([^']+)'/.exec(v.message)?.[1] ?? ''),
};

/** Prism's own readings, not faults of the generated request. */
const PRISM_GAPS: Gap[] = [
  READ_ONLY_REQUIRED,
  {
    // `?tags=` is an empty string, which a string schema without minLength allows; Prism reads it as absent.
    why: 'an empty query value is read as a missing parameter',
    applies: (v, { url }) => /must have required property/.test(v.message) && /[?&][^=&]+=(&|$)/.test(url),
  },
  {
    // Swagger 2.0 without `consumes`: our loader (like the 2.0 spec's tools) sends JSON; Prism's own
    // conversion gives the body no media type at all and refuses every body.
    why: 'a Swagger 2.0 body without consumes has no media type in Prism',
    applies: (v, { file }) =>
      String(v.code) === '415' && /No supported content types/.test(v.message) && /swagger2|swagger\.json/.test(file),
  },
  {
    // A multipart file part (`type: string, format: binary`) is read by Prism as an object of file
    // metadata, then checked against the string schema.
    why: 'a multipart file part is an object to Prism',
    applies: (v, { contentType }) => /must be object/.test(v.message) && /^multipart\//.test(contentType),
  },
];

/** Every property name some schema of the document marks readOnly. */
function readOnlyNames(document: unknown): Set<string> {
  const names = new Set<string>();
  const stack = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isObject(node) && !Array.isArray(node)) continue;
    if (isObject(node) && isObject(node.properties))
      for (const [name, property] of Object.entries(node.properties))
        if (isObject(property) && property.readOnly === true) names.add(name);
    stack.push(...Object.values(node));
  }
  return names;
}

const run = pool(2);
const started = new Map<string, Promise<string[]>>();

/** Positive cases Prism's validation refused, as `operationId: case: violation`, gaps left out. */
async function rejectedValid(document: CorpusDocument): Promise<string[]> {
  const readOnly = readOnlyNames((await readDocument(document.file)).document);
  const prism = await startPrism(document.file);
  try {
    const result = await runConformance([
      '--spec',
      document.file,
      '--base-url',
      prism.baseUrl,
      '--seed',
      '7',
      '--max-cases',
      '3',
      '--checks',
      'positive_data_accepted',
    ]);
    expect(result.report, result.describe()).toBeDefined();
    const out: string[] = [];
    for (const failure of result.report!.failures) {
      const header = failure.response?.headers['sl-violations'];
      if (typeof header !== 'string') continue;
      const request = failure.request as { url?: string; headers?: Record<string, string> };
      const url = String(request.url ?? '');
      const contentType = String(request.headers?.['content-type'] ?? '');
      // Prism also reports where its own answer breaks the document: not about the request.
      const violations = (JSON.parse(header) as Violation[]).filter((v) => v.location[0] === 'request');
      const seen = { url, file: document.file, contentType, readOnly };
      // A branch of a oneOf Prism refuses for its own reading fails the oneOf, and the other
      // branches' rules are listed too: none of it is about the request.
      if (violations.some((v) => READ_ONLY_REQUIRED.applies(v, seen))) continue;
      for (const violation of violations) {
        if (PRISM_GAPS.some((gap) => gap.applies(violation, seen))) continue;
        out.push(`${failure.operationId}: ${String(failure.case)}: ${violation.message}`);
      }
    }
    return out;
  } finally {
    await prism.close();
  }
}

const all = [...DOCUMENTS, ...(HAS_VENDOR ? [EIGHT_BY_EIGHT] : [])];
for (const document of all) started.set(document.file, eager(run(() => rejectedValid(document))));

describe('corpus under Prism: no valid request of ours fails Prism\'s validation', () => {
  for (const document of all) {
    test(document.file.replace(/^.*tests\/corpus\//, ''), async () => {
      const rejected = await started.get(document.file);
      expect(rejected, rejected?.join('\n')).toEqual([]);
    });
  }
});
