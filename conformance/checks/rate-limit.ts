/** `rate_limit` (opt-in): the request past the spec's x-rate-limit gets its status with a Retry-After. */
import { documentedResponse } from '../../lib/responses.js';
import type { Check } from '../types.js';
import { got, headerRequiredAssumption } from './support.js';

const isRetryAfter = (value: string): boolean => /^\d+$/.test(value.trim()) || !Number.isNaN(Date.parse(value));

export const rateLimit: Check = ({ spec, operation, response, testCase, rules }) => {
  const limit = spec.rateLimit;
  if (!testCase.expectThrottle || !limit || !response) return 'skip';
  const expected = `${limit.status} with a Retry-After header after ${limit.limit} requests in ${limit.period} s`;
  if (String(response.status) !== limit.status) {
    return {
      message: `rate limit not enforced: request ${limit.limit + 1} answered ${response.status}`,
      expected,
      actual: got(response),
      key: 'not enforced',
    };
  }
  const retryAfter = response.headers['retry-after'];
  if (retryAfter === undefined) {
    const throttled = documentedResponse(operation, limit.status);
    // A Retry-After the spec documents as optional is not demanded; one only we require is an assumption.
    if (throttled?.headers.some((h) => h.name.toLowerCase() === 'retry-after' && !h.required)) return;
    const assumed = throttled ? headerRequiredAssumption(spec, throttled, 'Retry-After') : undefined;
    if (assumed && rules === 'documented') return;
    return {
      message: `${response.status} without a Retry-After header`,
      expected,
      actual: `${response.status} with headers ${Object.keys(response.headers).join(', ')}`,
      key: 'no Retry-After',
      ...(assumed ? { assumptions: [assumed] } : {}),
    };
  }
  if (!isRetryAfter(retryAfter)) {
    return {
      message: 'Retry-After is neither seconds nor an HTTP date',
      expected,
      actual: `Retry-After: ${retryAfter}`,
      key: 'bad Retry-After',
    };
  }
};
