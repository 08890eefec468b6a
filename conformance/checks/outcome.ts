/**
 * The checks that judge a status against what the case is about. Exactly one of them applies to a
 * case (by its kind); a throttled answer (the spec's rate-limit status) is skipped, not judged, only
 * when the runner had really exceeded the documented limit (see `throttled`).
 */
import type { Check, CheckContext, Failure } from '../types.js';
import { documented4xx, got, isSuccess, isThrottle, throttled } from './support.js';

function rejected(ctx: CheckContext, what: string): Failure | undefined | 'skip' {
  const { response, operation, testCase } = ctx;
  if (!response || throttled(ctx)) return 'skip';
  const allowed = documented4xx(operation);
  if (allowed.includes(String(response.status))) return undefined;
  const detail = testCase.name.replace(/^[a-z-]+: /, '');
  return {
    message: isSuccess(response.status)
      ? `${what} accepted with ${response.status}`
      : `${what} answered ${response.status}, not a documented 4xx`,
    expected: `a documented 4xx (${allowed.join(', ') || 'none documented'}) for ${detail}`,
    actual: got(response),
  };
}

export const positiveDataAccepted: Check = (ctx) => {
  const { response, testCase } = ctx;
  if (testCase.kind !== 'positive' || !response || throttled(ctx)) return 'skip';
  if (isSuccess(response.status)) return;
  const limit = ctx.spec.rateLimit;
  if (limit && isThrottle(ctx)) {
    return {
      message: `valid request throttled before the documented limit (${ctx.sentInWindow} of ${limit.limit} in ${limit.period} s)`,
      expected: `a 2xx status: at most ${limit.limit} requests in ${limit.period} s are allowed`,
      actual: got(response),
    };
  }
  return { message: `valid request rejected with ${response.status}`, expected: 'a 2xx status', actual: got(response) };
};

export const negativeDataRejected: Check = (ctx) =>
  ctx.testCase.kind === 'negative' ? rejected(ctx, 'invalid request') : 'skip';

export const missingRequiredHeader: Check = (ctx) =>
  ctx.testCase.kind === 'header' ? rejected(ctx, 'request with a missing or malformed required header') : 'skip';

export const ignoredAuth: Check = (ctx) => {
  const { response, testCase } = ctx;
  if (testCase.kind !== 'auth' || !response || throttled(ctx)) return 'skip';
  if (response.status === 401 || response.status === 403) return;
  return {
    message: isSuccess(response.status)
      ? `request without valid credentials accepted with ${response.status}`
      : `request without valid credentials answered ${response.status}, not 401/403`,
    expected: `401 or 403 (${testCase.name.replace(/^auth: /, '')})`,
    actual: got(response),
  };
};
