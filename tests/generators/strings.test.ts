import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  lengthBoundedPattern,
  matchingStrings,
  sampleString,
  stringArbitrary,
  stringBoundaries,
  stringViolations,
} from '../../lib/generators/strings.js';

const ctx = { seed: 1, full: true, depth: 0, pointer: '/name' };

describe('strings', () => {
  test('a pattern with an open-ended repetition and a length: values of that length (a commit SHA)', () => {
    const sha = { type: 'string', pattern: '^[0-9a-fA-F]+$', minLength: 40, maxLength: 40 };
    expect(sampleString(sha, ctx)).toMatch(/^[0-9a-fA-F]{40}$/);
    expect(matchingStrings(sha, 1, 3).every((s) => /^[0-9a-fA-F]{40}$/.test(s))).toBe(true);
    const drawn = fc.sample(stringArbitrary(sha, 'x'.repeat(40)), { seed: 1, numRuns: 20 });
    expect(new Set(drawn).size, drawn.join(' ')).toBeGreaterThan(5);
    expect(drawn.every((s) => /^[0-9a-fA-F]{40}$/.test(s))).toBe(true);
    const digest = { type: 'string', pattern: '^sha256:[a-f0-9]+$', maxLength: 71, minLength: 71 };
    expect(sampleString(digest, ctx)).toMatch(/^sha256:[a-f0-9]{64}$/);
    // The bound goes to the one open-ended repetition; the rest keep their own.
    expect(lengthBoundedPattern('^\\d{3}-\\d+$', 5, 8)).toBe('^\\d{3}-\\d{1,4}$');
    expect(lengthBoundedPattern('^[A-Z][a-z]*?$', 3, 10)).toBe('^[A-Z][a-z]{2,9}$');
    // Groups, alternations and two open-ended repetitions are left as they are.
    expect(lengthBoundedPattern('^(a|b)+$', 3, 3)).toBeUndefined();
    expect(lengthBoundedPattern('^[a-z]+[0-9]+$', 4, 4)).toBeUndefined();
    expect(lengthBoundedPattern('[a-z]+', 4, 4)).toBeUndefined();
  });

  test('length bounds: boundaries at, violations one past', () => {
    const schema = { type: 'string', minLength: 2, maxLength: 4 };
    expect(stringBoundaries(schema, 1).map((v) => [v.keyword, v.value])).toEqual([
      ['minLength', 'Ac'],
      ['maxLength', 'MMMM'],
      ['type', 'Zoë '],
    ]);
    expect(stringViolations(schema).map((v) => [v.label, v.value])).toEqual([
      ['below minLength 2', 'B'],
      ['above maxLength 4', 'LLLLL'],
    ]);
  });

  test('pattern: matching samples and a mismatch', () => {
    const schema = { type: 'string', pattern: '^[0-9]{3}$' };
    expect(sampleString(schema, ctx)).toMatch(/^[0-9]{3}$/);
    expect(matchingStrings(schema, 1, 3)).toHaveLength(3);
    expect(stringViolations(schema)).toEqual([
      { label: 'pattern ^[0-9]{3}$ mismatch', value: '!!!', keyword: 'pattern' },
    ]);
  });

  test('an impossible length is reported with its pointer', () => {
    expect(() => sampleString({ minLength: 5, maxLength: 2 }, ctx)).toThrow('/name: maxLength 2 is below minLength 5');
    expect(() => sampleString({ pattern: '^[a]{3}$', maxLength: 2 }, ctx)).toThrow(/\/name: no string matching/);
  });

  test('a pattern with word boundaries or lookarounds: values the pattern itself accepts', () => {
    const uuid = '^$|[0-9a-f]{8}\\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\\b[0-9a-f]{12}';
    const password = '^(?=.*[0-9])(?!.*x)[a-z0-9]{8}$';
    for (const pattern of [uuid, password, '^\\bname[\\b]?\\B$']) {
      const schema = { type: 'string', pattern };
      const compiled = new RegExp(pattern, 'u');
      expect(compiled.test(sampleString(schema, ctx)), pattern).toBe(true);
      const found = matchingStrings(schema, 1, 3);
      expect(found.length, pattern).toBeGreaterThan(0);
      for (const value of found) expect(compiled.test(value), `${pattern}: ${value}`).toBe(true);
      for (const value of fc.sample(stringArbitrary(schema, found[0]!), { seed: 1, numRuns: 20 }))
        expect(compiled.test(value), `${pattern}: ${value}`).toBe(true);
    }
  });

  test('a pattern nothing can be drawn from is unsatisfiable, not a crash', () => {
    expect(() => sampleString({ type: 'string', pattern: '^(ab)\\1$' }, ctx)).toThrow(/\/name: no string matching/);
  });
});
