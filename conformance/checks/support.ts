/** Small readers of a response that several checks share. */
import type { JsonSchema } from '../../lib/json-schema.js';
import { isJsonMediaType, mediaTypeEssence, mediaTypeMatches } from '../../lib/media-type.js';
import type { MediaType, Operation, Response } from '../../lib/spec.js';
import { formatAjvErrors, type ValidatorCache } from '../../lib/validator.js';
import type { CheckContext, Failure, ReceivedResponse } from '../types.js';

function findResponse(operation: Operation, status: number): Response | undefined {
  const code = String(status);
  return (
    operation.responses.find((r) => r.status === code) ??
    operation.responses.find((r) => r.status.toUpperCase() === `${code[0]}XX`) ??
    operation.responses.find((r) => r.status === 'default')
  );
}

/** Per operation and status: every response of an operation asks the same question. */
const documentedByStatus = new WeakMap<Operation, Map<number, Response | null>>();

/** The spec's response for a status: exact, then a range such as `4XX`, then `default`. */
export function documentedResponse(operation: Operation, status: number): Response | undefined {
  let byStatus = documentedByStatus.get(operation);
  if (!byStatus) documentedByStatus.set(operation, (byStatus = new Map()));
  let found = byStatus.get(status);
  if (found === undefined) byStatus.set(status, (found = findResponse(operation, status) ?? null));
  return found ?? undefined;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

const documented4xxOf = new WeakMap<Operation, string[]>();

export function documented4xx(operation: Operation): string[] {
  let statuses = documented4xxOf.get(operation);
  if (!statuses)
    documented4xxOf.set(operation, (statuses = operation.responses.map((r) => r.status).filter((s) => /^4/.test(s))));
  return statuses;
}

/** The answer carries the spec's rate-limit status (to a case that is not the burst's last request). */
export function isThrottle(ctx: CheckContext): boolean {
  const limit = ctx.spec.rateLimit;
  return !!limit && !!ctx.response && !ctx.testCase.expectThrottle && String(ctx.response.status) === limit.status;
}

/**
 * A throttled answer the server was entitled to: the runner had really sent more than the
 * documented limit on this credential within the documented period. Such an answer says nothing
 * about the case; a throttled answer before the limit is judged like any other answer.
 */
export function throttled(ctx: CheckContext): boolean {
  return isThrottle(ctx) && ctx.sentInWindow > ctx.spec.rateLimit!.limit;
}

/** First 200 characters of the body, for messages. */
function excerpt(response: ReceivedResponse): string {
  const text = response.text.replace(/\s+/g, ' ').trim();
  if (text === '') return '(empty body)';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export const got = (response: ReceivedResponse): string => `${response.status} ${excerpt(response)}`;

export function mediaTypeOf(response: ReceivedResponse): string | undefined {
  const header = response.headers['content-type'];
  return header ? mediaTypeEssence(header) : undefined;
}

/** The documented media type the response claims, else the first documented one. */
export function documentedMedia(documented: Response, response: ReceivedResponse): MediaType | undefined {
  const actual = mediaTypeOf(response);
  return (actual && documented.content.find((m) => mediaTypeMatches(m.mediaType, actual))) || documented.content[0];
}

/**
 * Validates the body against the schema documented for `status`; `kind` names it in the message
 * (`the 200 schema`, `the 422 error schema`). Messages are built only on failure: this runs on
 * every response, and no closure is made per call (tsx names every closure it compiles).
 */
export function validateBody(
  validators: ValidatorCache,
  media: MediaType,
  schema: JsonSchema,
  response: ReceivedResponse,
  status: string,
  kind: 'schema' | 'error schema',
): Failure | undefined {
  let value: unknown = response.text;
  if (isJsonMediaType(media.mediaType)) {
    if (!response.json) {
      if (response.text.trim() === '')
        return {
          message: `empty body where the ${status} ${kind} is documented`,
          expected: `the ${status} ${kind} (${media.mediaType})`,
          actual: `${response.status} (empty body)`,
        };
      return {
        message: `body is not valid JSON`,
        expected: `the ${status} ${kind} (${media.mediaType})`,
        actual: got(response),
      };
    }
    value = response.json.value;
  }
  const validate = validators.get(schema);
  if (validate(value)) return undefined;
  return {
    message: `body does not match the ${status} ${kind}`,
    expected: `the ${status} ${kind} (${media.mediaType})`,
    actual: got(response),
    errors: formatAjvErrors(validate.errors),
  };
}
