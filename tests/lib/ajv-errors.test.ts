/** lib/ajv-errors.ts: AJV errors as one readable line each, naming the place in the value. */
import { describe, expect, it } from 'vitest';
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import { ValidatorCache } from '../../lib/validator.js';

const validator = new ValidatorCache().get({
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    kind: { enum: ['a', 'b'] },
    version: { const: 2 },
    tags: { type: 'array', items: { type: 'integer' } },
  },
});

function lines(value: unknown, root?: string): string[] {
  expect(validator(value)).toBe(false);
  return formatAjvErrors(validator.errors, root);
}

describe('formatAjvErrors', () => {
  it('a missing property is named at its own path', () => {
    expect(lines({})).toEqual(['/name: is required']);
  });

  it('an extra property is named at its own path', () => {
    expect(lines({ name: 'x', colour: 'red' })).toEqual(['/colour: is not allowed (additional property)']);
  });

  it('enum and const say the values allowed', () => {
    expect(lines({ name: 'x', kind: 'c' })).toEqual(['/kind: must be one of ["a","b"]']);
    expect(lines({ name: 'x', version: 3 })).toEqual(['/version: must be 2']);
  });

  it("other keywords keep AJV's message at the value's path; the root is /", () => {
    expect(lines({ name: 'x', tags: [1, 'two'] })).toEqual(['/tags/1: must be integer']);
    expect(lines('text')).toEqual(['/: must be object']);
  });

  it('every error, one line each, under a given root', () => {
    expect(lines({ name: 5, kind: 'z' }, '/body')).toEqual([
      '/body/name: must be string',
      '/body/kind: must be one of ["a","b"]',
    ]);
  });
});
