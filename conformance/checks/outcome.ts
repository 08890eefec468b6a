/**
 * The checks that judge a status against what the case is about. Exactly one of them applies to a
 * case (by its kind). A throttled answer the run cannot prove premature is not judged.
 */
import { documentedResponse, documentedStatuses } from '../../lib/responses.js';
import type { Check, CheckContext, Failure } from '../types.js';
import { anchored, got, isSuccess, notFoundUnanchored, refusalsOf, throttleState } from './support.js';

function rejected(ctx: CheckContext, what: string): Failure | undefined | 'skip' {
  const { response, operation, testCase } = ctx;
  if (!response || throttleState(ctx) === 'unjudged') return 'skip';
  // An operation that documents no answer to a refused request does not say it refuses any: a server
  // that reads a malformed page as the first keeps to it (what such a case gets is judged by the others).
  if (refusalsOf(testCase).length === 0) return 'skip';
  // Valid under the vendor's own rules: only an assumption of ours says it is invalid.
  if (ctx.rules === 'documented' && testCase.assumptions) return 'skip';
  const allowed = documentedStatuses(operation, '4');
  // A 4xx the spec covers, by its code, its range or `default`, is the documented rejection; but a
  // not-found refuses no malformed query, header or body where the path names only what exists.
  const { broken } = testCase;
  const notFound = response.status === 404 && broken !== undefined && broken !== 'path' && anchored(testCase, ctx.spec);
  if (response.status >= 400 && response.status < 500 && documentedResponse(operation, response.status) && !notFound)
    return undefined;
  const detail = testCase.name.replace(/^[a-z-]+: /, '');
  return {
    message: isSuccess(response.status)
      ? `${what} accepted with ${response.status}`
      : notFound
        ? `${what} answered 404: its path names what exists, and a not-found refuses no malformed ${broken}`
        : `${what} answered ${response.status}, not a documented 4xx`,
    expected: `a documented 4xx (${allowed.join(', ') || 'none documented'}) for ${detail}`,
    actual: got(response),
    key: isSuccess(response.status) ? 'accepted' : `answered ${response.status}`,
    ...(testCase.assumptions ? { assumptions: testCase.assumptions } : {}),
  };
}

export const positiveDataAccepted: Check = (ctx) => {
  const { response, testCase } = ctx;
  if (testCase.kind !== 'positive' || !response) return 'skip';
  const throttle = throttleState(ctx);
  if (throttle === 'unjudged') return 'skip';
  if (isSuccess(response.status)) return;
  // A documented redirect (a download answered 302 to a signed URL) is the operation's success.
  if (response.status >= 300 && response.status < 400 && documentedResponse(ctx.operation, response.status)) return;
  // A path naming no record the run made (an example or made-up id) may name none at all.
  if (notFoundUnanchored(ctx)) return 'skip';
  // ... and so may a body naming records by ids the run did not make, with the status the document gives for it.
  const named = response.status >= 400 && response.status < 500 && ![401, 403, 429].includes(response.status);
  if (named && documentedResponse(ctx.operation, response.status) && testCase.request.namesUnmade) return 'skip';
  // ... and a body naming together records an earlier accepted request named so, refused as a
  // conflict (a user already a member: 409, or 422 as many servers say it).
  const conflict = response.status === 409 || response.status === 422;
  if (conflict && documentedResponse(ctx.operation, response.status) && ctx.exchange.repeatsReferences) return 'skip';
  const limit = ctx.spec.rateLimit;
  if (limit && throttle === 'premature') {
    const earlier = ctx.exchange.throttle!.possiblyEarlier - 1;
    return {
      message: `valid request throttled before the documented limit (at most ${earlier} earlier requests on the run's own credential within ${limit.period} s; the limit is ${limit.limit})`,
      expected: `a 2xx status: ${limit.limit} requests in ${limit.period} s are allowed`,
      actual: got(response),
      key: 'throttled early',
    };
  }
  return {
    message: `valid request rejected with ${response.status}`,
    expected: 'a 2xx status',
    actual: got(response),
    key: `rejected ${response.status}`,
  };
};

export const negativeDataRejected: Check = (ctx) =>
  ctx.testCase.kind === 'negative' ? rejected(ctx, 'invalid request') : 'skip';

export const missingRequiredHeader: Check = (ctx) =>
  ctx.testCase.kind === 'header' ? rejected(ctx, 'request with a missing or malformed required header') : 'skip';

export const ignoredAuth: Check = (ctx) => {
  const { response, testCase } = ctx;
  if (testCase.kind !== 'auth' || !response || throttleState(ctx) === 'unjudged') return 'skip';
  if (response.status === 401 || response.status === 403) return;
  // A spec that documents neither says nothing of how a refusal looks: any client error refuses.
  const authStatuses = documentedStatuses(ctx.operation, '4').filter((s) => s === '401' || s === '403');
  if (authStatuses.length === 0 && response.status >= 400 && response.status < 500) return;
  return {
    message: isSuccess(response.status)
      ? `request without valid credentials accepted with ${response.status}`
      : `request without valid credentials answered ${response.status}, not 401/403`,
    expected: `401 or 403 (${testCase.name.replace(/^auth: /, '')})`,
    actual: got(response),
    key: `answered ${response.status}`,
  };
};
