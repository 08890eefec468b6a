import { describe, expect, test } from 'vitest';
import { parseRateLimit } from '../../conformance/options.js';

describe('--rate-limit', () => {
  test('a pace per second or minute; none, or off as the mock says it, for unpaced', () => {
    expect(parseRateLimit('10/s')).toEqual({ limit: 10, period: 1 });
    expect(parseRateLimit('15/m')).toEqual({ limit: 15, period: 60 });
    expect(parseRateLimit('none')).toBe('none');
    expect(parseRateLimit('off')).toBe('none');
    for (const wrong of ['0/s', '10', '10/h', 'never', '']) expect(parseRateLimit(wrong)).toBeUndefined();
  });
});
