/** `rate_limit` (opt-in): the request past the spec's x-rate-limit gets its status with a Retry-After. */
import type { Check } from '../types.js';
import { got } from './support.js';

const isRetryAfter = (value: string): boolean => /^\d+$/.test(value.trim()) || !Number.isNaN(Date.parse(value));

export const rateLimit: Check = ({ spec, response, testCase }) => {
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
    return {
      message: `${response.status} without a Retry-After header`,
      expected,
      actual: `${response.status} with headers ${Object.keys(response.headers).join(', ')}`,
      key: 'no Retry-After',
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
