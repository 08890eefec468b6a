/** `status_code_documented`: the status (or its range, or `default`) is in the operation's responses. */
import { documentedStatuses } from '../../lib/responses.js';
import type { Check, CheckContext } from '../types.js';
import { got, guessedStatuses, notFoundUnanchored, refusalsOf } from './support.js';

/**
 * Whether the answer is the refusal the case asked for, in a status the operation does not list
 * because it lists none of that kind (OpenAPI: the responses need not cover every status): a 401 or
 * 403 to a request without valid credentials where the operation lists neither (RFC 9110), any 4xx
 * to an invalid request where it lists no refusal. The check of the case's kind (`ignored_auth`,
 * `negative_data_rejected`...) judges the rest.
 */
function askedRefusal({ testCase, operation, response }: CheckContext): boolean {
  const status = response!.status;
  if (testCase.kind === 'auth') {
    const listed = documentedStatuses(operation, '4').some((s) => s === '401' || s === '403');
    return (status === 401 || status === 403) && !listed;
  }
  if (status < 400 || status >= 500) return false;
  return (testCase.kind === 'negative' || testCase.kind === 'header') && refusalsOf(testCase).length === 0;
}

export const statusCodeDocumented: Check = (ctx) => {
  const { spec, operation, response, documented, rules } = ctx;
  if (!response) return 'skip';
  if (documented) return;
  if (askedRefusal(ctx) || notFoundUnanchored(ctx)) return 'skip';
  // The vendor gives no status of this class: under its rules any status of the class is its answer.
  const guessed = guessedStatuses(spec, operation, response.status);
  if (guessed && rules === 'documented') return;
  return {
    message: `status ${response.status} is not documented`,
    expected:
      operation.responses.length > 0
        ? `one of ${operation.responses.map((r) => r.status).join(', ')}`
        : 'a documented status: the operation documents none',
    actual: got(response),
    key: `status ${response.status}`,
    ...(guessed ? { assumptions: guessed } : {}),
  };
};
