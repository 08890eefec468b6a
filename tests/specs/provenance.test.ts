// Every `x-inferred` mark in every spec names a keyword its own node carries, with a one-line reason
// (the convention in specs/README.md). The specs are read as written, before any $ref is followed, so a
// failure names the JSON pointer of the node in the file. A fixture with one fault per kind proves the
// check finds each of them, at the right node, and nothing where the marks are correct.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inferredMarkProblems, toPointer } from '../../spectral/inferred-marks.js';
import { ROOT, SPEC_FILES, type SpecKey } from '../support-specs/specs.js';

const raw = async (...path: string[]): Promise<unknown> => parse(await readFile(join(ROOT, ...path), 'utf8'));

/** Every mark in a document as `pointer keyword`, to show what a spec claims as inferred. */
function marks(node: unknown, path: (string | number)[] = []): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => marks(item, [...path, i]));
  if (typeof node !== 'object' || node === null) return [];
  const own = Object.entries(node).flatMap(([key, value]) =>
    key === 'x-inferred' && typeof value === 'object' && value !== null
      ? Object.keys(value).map((keyword) => `${toPointer(path)} ${keyword}`)
      : ['example', 'examples'].includes(key)
        ? []
        : marks(value, [...path, key]),
  );
  return own;
}

describe.each(Object.keys(SPEC_FILES) as SpecKey[])('x-inferred marks of %s', (key) => {
  it('each names a keyword its node carries, with a one-line reason', async () => {
    const document = await raw('specs', SPEC_FILES[key]);
    expect(inferredMarkProblems(document).map((p) => `${toPointer(p.path)}: ${p.message}`)).toEqual([]);
    expect(marks(document).length, "the walk sees the spec's marks").toBeGreaterThan(0);
  });
});

describe('the check', () => {
  it('reports each fault of the broken fixture at the node that carries the mark, and nothing else', async () => {
    const problems = inferredMarkProblems(await raw('tests', 'fixtures', 'broken-inferred-marks.yaml'));
    const name = '/components/schemas/Thing/properties/name';
    expect(problems.map((p) => [p.pointer, toPointer(p.path).slice(p.pointer.length), p.message])).toEqual([
      [
        '/paths/~1things/post/responses/201/headers/X-Optional',
        '/x-inferred/required',
        'x-inferred names "required", but this header is not required',
      ],
      [
        '/paths/~1things/post/responses/201/content/application~1json',
        '/x-inferred',
        'x-inferred may only sit on a schema, a request body, a header or a response',
      ],
      [
        '/paths/~1things/post/responses/403',
        '/x-inferred/content',
        'x-inferred names "content", but this response has no content',
      ],
      [
        '/paths/~1things/post/responses/404',
        '/x-inferred/minLength',
        'x-inferred "minLength" cannot be marked on a response (only "response", "content" or "mediaType")',
      ],
      [
        '/paths/~1things~1{id}/patch/requestBody',
        '/x-inferred/required',
        'x-inferred names "required", but this request body is not required',
      ],
      [
        '/components/schemas/Thing',
        '/x-inferred/minProperties',
        'x-inferred names "minProperties", which this schema does not carry',
      ],
      [name, '/x-inferred/minLength', 'x-inferred "minLength" needs a reason (a non-empty string)'],
      [name, '/x-inferred/format', 'x-inferred "format" needs a reason (a non-empty string)'],
      [name, '/x-inferred/pattern', 'x-inferred "pattern": the reason must be one line'],
      [name, '/x-inferred/x-resource', 'x-inferred "x-resource" is not a JSON Schema keyword'],
      [
        '/components/schemas/Thing/properties/tags/items',
        '/x-inferred',
        'x-inferred must be a non-empty map from keyword to reason',
      ],
      [
        '/components/schemas/Thing/properties/nested',
        '/x-inferred/required',
        'x-inferred names "required", but this schema requires nothing',
      ],
      [
        '/components/schemas/Thing/properties/nested/properties/deep/allOf/0',
        '/x-inferred',
        'x-inferred must be a non-empty map from keyword to reason',
      ],
    ]);
  });

  it('finds the correct marks of the fixture, so the faults above are not all it sees', async () => {
    const document = await raw('tests', 'fixtures', 'broken-inferred-marks.yaml');
    expect(marks(document)).toEqual(
      expect.arrayContaining([
        '/paths/~1things/post/requestBody required',
        '/paths/~1things/post/responses/201/headers/Retry-After required',
        '/paths/~1things/post/responses/401 response',
        '/paths/~1things/post/responses/401 content',
        '/paths/~1things~1{id}/patch/parameters/0/schema type',
        '/components/schemas/Thing required',
        '/components/schemas/Thing/properties/name maxLength',
        '/components/schemas/Thing/properties/id readOnly',
      ]),
    );
  });
});
