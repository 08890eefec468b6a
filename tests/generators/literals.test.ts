import { describe, expect, test } from 'vitest';
import { literalBoundaries, literalViolations } from '../../lib/generators/literals.js';
import { sampleValue } from '../../lib/generators/values.js';

describe('type, const and enum', () => {
  test('enum of any type: each value is a boundary, one outside is a violation', () => {
    const schema = { enum: ['a', 1, null, { k: 1 }] };
    expect(literalBoundaries(schema, () => true).map((v) => v.value)).toEqual(['a', 1, null, { k: 1 }]);
    expect(literalViolations(schema)).toEqual([
      { label: 'value outside enum', value: 'a-not-allowed', keyword: 'enum' },
    ]);
  });

  test('const of any type', () => {
    expect(sampleValue({ const: { k: [1] } }, 1)).toEqual({ k: [1] });
    expect(literalViolations({ const: 3 })).toEqual([{ label: 'not the const 3', value: 987654324, keyword: 'const' }]);
  });

  test('nullable types: null is a boundary; for a non-nullable type it is a violation', () => {
    expect(literalBoundaries({ type: ['string', 'null'] }, () => true)).toEqual([
      { label: 'null (nullable)', value: null, keyword: 'type' },
    ]);
    expect(literalBoundaries({ type: 'integer', nullable: true }, () => true)).toHaveLength(1);
    expect(literalViolations({ type: 'string' }).map((v) => v.value)).toEqual([12345]);
  });

  test('an enum none of whose values fits the other keywords is unsatisfiable', () => {
    expect(() => sampleValue({ type: 'string', enum: [1, 2] }, 1)).toThrow(
      `/: no enum value satisfies the schema's other keywords`,
    );
  });
});
