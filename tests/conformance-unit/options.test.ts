import { describe, expect, test } from 'vitest';
import { parseRateLimit, rateLimitProblem } from '../../conformance/options.js';

describe('--rate-limit', () => {
  test('a pace per second or minute; none, or off as the mock says it, for unpaced', () => {
    expect(parseRateLimit('10/s')).toEqual({ limit: 10, period: 1 });
    expect(parseRateLimit('15/m')).toEqual({ limit: 15, period: 60 });
    expect(parseRateLimit('none')).toBe('none');
    expect(parseRateLimit('off')).toBe('none');
    for (const wrong of ['0/s', '10', '10/h', 'never', '']) expect(parseRateLimit(wrong)).toBeUndefined();
  });
});

describe('rateLimitProblem', () => {
  test('a usable pace has none; a malformed one and one slower than a request an hour say why', () => {
    for (const fine of ['10/s', '1/m', '0.0167/m', 'none']) expect(rateLimitProblem(fine)).toBeUndefined();
    expect(rateLimitProblem('10/h')).toBe('must look like 10/s or 15/m (or "none"), got "10/h"');
    expect(rateLimitProblem('0.01/m')).toBe('0.01/m is slower than one request an hour');
  });
});
