// Every example in every spec validates against its schema with AJV (draft 2020-12 + formats).
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import type { Spec } from '../../lib/spec.js';
import { ValidatorCache } from '../../lib/validator.js';
import { loadAll, SPEC_FILES, type SpecKey } from '../support-specs/specs.js';

interface ExampleRow {
  where: string;
  schema: JsonSchema;
  value: unknown;
}

function examplesOf(spec: Spec): ExampleRow[] {
  const rows: ExampleRow[] = [];
  for (const op of spec.operations) {
    for (const media of op.requestBody?.content ?? []) {
      for (const example of media.examples)
        rows.push({
          where: `${op.operationId} request ${media.mediaType} ${example.name}`,
          schema: media.schema ?? {},
          value: example.value,
        });
    }
    for (const param of op.parameters) {
      if (param.example !== undefined)
        rows.push({ where: `${op.operationId} parameter ${param.name}`, schema: param.schema, value: param.example });
    }
    for (const response of op.responses) {
      for (const media of response.content) {
        for (const example of media.examples)
          rows.push({
            where: `${op.operationId} ${response.status} ${media.mediaType} ${example.name}`,
            schema: media.schema ?? {},
            value: example.value,
          });
      }
      for (const header of response.headers) {
        if (header.example !== undefined && header.schema)
          rows.push({
            where: `${op.operationId} ${response.status} header ${header.name}`,
            schema: header.schema,
            value: header.example,
          });
      }
    }
  }
  return rows;
}

const validators = new ValidatorCache();
let specs: Record<SpecKey, Spec>;
beforeAll(async () => {
  specs = await loadAll();
});

describe.each(Object.keys(SPEC_FILES) as SpecKey[])('examples of %s', (key) => {
  it('has a schema and valid value for every example', () => {
    const rows = examplesOf(specs[key]);
    expect(rows.length).toBeGreaterThan(3);
    const invalid = rows.flatMap((row) => {
      const validate = validators.get(row.schema);
      return validate(row.value) ? [] : [`${row.where}: ${formatAjvErrors(validate.errors).join('; ')}`];
    });
    expect(invalid).toEqual([]);
  });

  it('documents a named example for every status that has a body', () => {
    const missing = specs[key].operations.flatMap((op) =>
      op.responses
        .filter((r) => r.content.length > 0 && r.content.some((m) => m.examples.length === 0))
        .map((r) => `${op.operationId} ${r.status}`),
    );
    expect(missing).toEqual([]);
  });

  it('rejects a value of the wrong type, so the validation above is not vacuous', () => {
    for (const row of examplesOf(specs[key])) {
      const wrong = typeof row.value === 'number' ? 'not a number' : 12345;
      expect(validators.get(row.schema)(wrong), row.where).toBe(false);
    }
  });
});
