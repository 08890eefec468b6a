/** Small readers of a response that several checks share. */
import type { JsonSchema } from '../../lib/json-schema.js';
import type { MediaType, Operation, Response } from '../../lib/spec.js';
import { formatAjvErrors, type ValidatorCache } from '../../lib/validator.js';
import type { CheckContext, Failure, ReceivedResponse } from '../types.js';

/** The spec's response for a status: exact, then a range such as `4XX`, then `default`. */
export function documentedResponse(operation: Operation, status: number): Response | undefined {
  const code = String(status);
  return (
    operation.responses.find((r) => r.status === code) ??
    operation.responses.find((r) => r.status.toUpperCase() === `${code[0]}XX`) ??
    operation.responses.find((r) => r.status === 'default')
  );
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

export function documented4xx(operation: Operation): string[] {
  return operation.responses.map((r) => r.status).filter((s) => /^4/.test(s));
}

/** A throttled answer to a case that is not about the rate limit says nothing about the case. */
export function throttled(ctx: CheckContext): boolean {
  const limit = ctx.spec.rateLimit;
  return !!limit && !!ctx.response && !ctx.testCase.expectThrottle && String(ctx.response.status) === limit.status;
}

/** First 200 characters of the body, for messages. */
export function excerpt(response: ReceivedResponse): string {
  const text = response.text.replace(/\s+/g, ' ').trim();
  if (text === '') return '(empty body)';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export const got = (response: ReceivedResponse): string => `${response.status} ${excerpt(response)}`;

export function mediaTypeOf(response: ReceivedResponse): string | undefined {
  const header = response.headers['content-type'];
  return header ? parseMedia(header).join('/') : undefined;
}

/** Parsed media ranges, memoised: the same few strings are compared on every response. */
const parsedMedia = new Map<string, [string, string]>();

function parseMedia(text: string): [string, string] {
  let parsed = parsedMedia.get(text);
  if (!parsed) {
    const [type = '', sub = ''] = text.toLowerCase().split(';')[0]!.trim().split('/');
    parsed = [type, sub];
    parsedMedia.set(text, parsed);
  }
  return parsed;
}

export function mediaMatches(range: string, actual: string): boolean {
  const [type, sub] = parseMedia(range);
  const [aType, aSub] = parseMedia(actual);
  return (type === '*' || type === aType) && (sub === '*' || sub === aSub);
}

const isJsonMedia = (mediaType: string): boolean => /^application\/(.+\+)?json$/.test(mediaType) || mediaType.endsWith('+json');

/** The documented media type the response claims, else the first documented one. */
export function documentedMedia(documented: Response, response: ReceivedResponse): MediaType | undefined {
  const actual = mediaTypeOf(response);
  return (actual && documented.content.find((m) => mediaMatches(m.mediaType, actual))) || documented.content[0];
}

/** Validates the body against a documented schema; `what` names it in the message. */
export function validateBody(
  validators: ValidatorCache,
  media: MediaType & { schema: JsonSchema },
  response: ReceivedResponse,
  what: string,
): Failure | undefined {
  const expected = `${what} (${media.mediaType})`;
  let value: unknown = response.text;
  if (isJsonMedia(media.mediaType.toLowerCase())) {
    if (response.text.trim() === '') return { message: `empty body where ${what} is documented`, expected, actual: `${response.status} (empty body)` };
    if (!response.json) return { message: `body is not valid JSON`, expected, actual: got(response) };
    value = response.json.value;
  }
  const validate = validators.get(media.schema);
  if (validate(value)) return undefined;
  return { message: `body does not match ${what}`, expected, actual: got(response), errors: formatAjvErrors(validate.errors) };
}
