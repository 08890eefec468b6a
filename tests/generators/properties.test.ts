import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { randomValues, sampleValue, UnsatisfiableSchemaError, variantsOf } from '../../lib/generators/values.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { ValidatorCache } from '../../lib/validator.js';
import { cyclic, schemaArbitrary, withDefs } from './support.js';

const validators = new ValidatorCache();
const RUNS = 150;
const pair = schemaArbitrary.map((schema) => {
  const reference = withDefs(schema);
  return { reference, input: cyclic(reference) };
});

/** Samples the schema, counting the ones the generators report unsatisfiable. */
function sampled(input: JsonSchema, seed: number, skipped: string[]): unknown {
  try {
    return sampleValue(input, seed);
  } catch (error) {
    if (!(error instanceof UnsatisfiableSchemaError)) throw error;
    skipped.push(error.message);
    return undefined;
  }
}

const show = (schema: JsonSchema, value: unknown): string =>
  `${JSON.stringify(schema)}\nvalue: ${JSON.stringify(value)}`;

describe('on random schemas (fixed seeds)', () => {
  test('sampleValue validates, or says why it cannot', () => {
    const skipped: string[] = [];
    fc.assert(
      fc.property(pair, fc.nat(1000), ({ reference, input }, seed) => {
        const value = sampled(input, seed, skipped);
        if (value === undefined) return;
        expect(validators.get(reference)(value), show(reference, value)).toBe(true);
      }),
      { seed: 20240311, numRuns: RUNS },
    );
    expect(skipped.length, skipped.join('\n')).toBeLessThanOrEqual(RUNS * 0.02);
  });

  test('every boundary validates', () => {
    fc.assert(
      fc.property(pair, fc.nat(1000), ({ reference, input }, seed) => {
        const base = sampled(input, seed, []);
        if (base === undefined) return;
        const validate = validators.get(reference);
        for (const variant of variantsOf(input, base, 'boundaries', seed))
          expect(validate(variant.value), `${variant.label}: ${show(reference, variant.value)}`).toBe(true);
      }),
      { seed: 424242, numRuns: RUNS },
    );
  });

  test('every violation is invalid, and names its keyword and pointer', () => {
    let count = 0;
    fc.assert(
      fc.property(pair, fc.nat(1000), ({ reference, input }, seed) => {
        const base = sampled(input, seed, []);
        if (base === undefined) return;
        const validate = validators.get(reference);
        for (const variant of variantsOf(input, base, 'violations', seed)) {
          count++;
          expect(validate(variant.value), `${variant.label}: ${show(reference, variant.value)}`).toBe(false);
          expect(variant.keyword).not.toBe('');
          expect(variant.label.startsWith(variant.pointer || '/')).toBe(true);
        }
      }),
      { seed: 777, numRuns: RUNS },
    );
    expect(count).toBeGreaterThan(RUNS);
  });

  test('every random value validates, and the same seed gives the same values', () => {
    fc.assert(
      fc.property(pair, fc.nat(1000), ({ reference, input }, seed) => {
        const values = [...randomValues(input, seed, 5)];
        const validate = validators.get(reference);
        for (const value of values) expect(validate(value), show(reference, value)).toBe(true);
        expect([...randomValues(input, seed, 5)]).toEqual(values);
      }),
      { seed: 99, numRuns: RUNS },
    );
  });
});
