/**
 * Builds the replies the mock makes itself (errors, rate limits, unknown ids) from the operation's
 * documented responses: which status (the closest one the spec documents, never one it does not),
 * which example (the one `x-error-body.examples` names for what went wrong), and the example filled
 * with what actually happened. Every such body is checked against the status's schema.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { isObject, own } from '../lib/json.js';
import type { JsonSchema } from '../lib/json-schema.js';
import { coversJson, isJsonMediaType, isMediaRange, mediaTypeEssence, mediaTypeMatches } from '../lib/media-type.js';
import { PROBLEM_JSON, problem } from '../lib/problem.js';
import { UUID_TEXT } from '../lib/resources.js';
import { documentedResponse, NOT_ABOUT_THE_REQUEST, underRules } from '../lib/responses.js';
import { declaredTypes, flatten } from '../lib/schema.js';
import type { NamedExample, Operation, Response } from '../lib/spec.js';
import type { RuleSet, ValidatorCache } from '../lib/validator.js';
import { fillErrorBody } from './error-body.js';
import type { PrismEngine } from './prism-engine.js';
import { sampleFrom } from './samples.js';
import { type Violation, violationCause } from './violations.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** What went wrong, in the words `x-error-body.examples` maps to example names. */
export type Cause =
  | 'required'
  | 'invalid'
  | 'duplicate'
  | 'malformed'
  | 'unsupported'
  | 'too-large'
  | 'empty'
  | 'missing-credentials'
  | 'invalid-credentials'
  | 'not-found'
  | 'rate-limited'
  | 'conflict'
  | 'protected';

/**
 * Body schema violations get the 422 when the vendor documents one (it is the validation status of
 * APIs that have both); violations of the request's envelope (parameters, headers, unparseable or
 * unsupported payload) get the 400 first, as frameworks answer those before model validation.
 */
export function validationStatuses(violations: readonly Violation[]): string[] {
  // A path that names nothing a route accepts (`/groups/abc` for an integer id) is a 404 where no
  // 400 or 422 is documented: what a typed route answers.
  if (violations.some((v) => v.location === 'path')) return ['400', '422', '404'];
  return violations.some((v) => v.location !== 'body') ? ['400', '422'] : ['422', '400'];
}

/** The cause of a list of violations, for choosing the example. */
export function causeOf(violations: readonly Violation[]): Cause {
  const first = violations[0];
  return first ? violationCause(first) : 'invalid';
}

/**
 * The documented response for the first acceptable status the spec has; else the closest documented
 * client error (400, then 422, then any other 4xx in document order, then `default`); else none (the
 * caller answers RFC 9457 problem details with the first acceptable status). An answer about
 * credentials, payment, permissions or pace is never chosen for what it does not say: a 429 for an
 * unknown id would send the caller after the wrong cause, and a client that honours it waits for nothing.
 */
export function closestResponse(operation: Operation, statuses: readonly string[]): Response | undefined {
  for (const status of statuses) {
    const found = documentedResponse(operation, status);
    if (found && (found.status !== 'default' || statuses.length === 1)) return found;
  }
  const clientErrors = operation.responses.filter((r) => /^4/.test(r.status));
  return (
    clientErrors.find((r) => r.status === '400') ??
    clientErrors.find((r) => r.status === '422') ??
    clientErrors.find((r) => !NOT_ABOUT_THE_REQUEST.has(r.status)) ??
    operation.responses.find((r) => r.status === 'default')
  );
}

export interface ErrorContext {
  operation: Operation;
  engine: PrismEngine;
  validators: ValidatorCache;
  rules: RuleSet;
}

export interface ErrorReplyOptions {
  /** Acceptable statuses, best first (`['422', '400']`). */
  statuses: readonly string[];
  /**
   * The status the answer has when none of `statuses` is documented (the closest documented response
   * only lends its body): a request without credentials is a 401 even where only a 400 is documented.
   */
  otherwise?: number;
  cause: Cause;
  violations?: readonly Violation[];
  message?: string;
  /** Use this documented example instead of the one the cause names. */
  example?: string;
  /** What a message without a violation is about (the id not found). */
  subject?: { field: string; value: unknown };
  headers?: Record<string, string>;
}

/** The example `x-error-body.examples` names: by cause and field (`invalid:addresses.msisdn`), cause, or `default`. */
function exampleFor(response: Response, examples: readonly NamedExample[], options: ErrorReplyOptions) {
  const map = response.errorBody?.examples ?? {};
  const field = options.violations?.[0]?.field;
  const named =
    options.example ??
    (field !== undefined ? own(map, `${options.cause}:${field}`) : undefined) ??
    own(map, options.cause) ??
    own(map, 'default');
  return (named !== undefined ? examples.find((e) => e.name === named) : undefined) ?? examples[0];
}

const numericStatus = (response: Response | undefined, fallback: string): number =>
  Number(
    /^\d{3}$/.test(response?.status ?? '')
      ? response!.status
      : fallback.replace(/XX$/i, '00').replace(/^default$/, '400'),
  );

/**
 * Of the acceptable statuses, the documented response whose `x-error-body.examples` names this very
 * violation (`required:group_id`): the vendor said which answer a missing field gets, whatever the
 * usual order of statuses.
 */
function namedResponse(operation: Operation, options: ErrorReplyOptions): Response | undefined {
  const field = options.violations?.[0]?.field;
  if (field === undefined) return undefined;
  return operation.responses.find(
    (response) =>
      options.statuses.includes(response.status) &&
      own(response.errorBody?.examples ?? {}, `${options.cause}:${field}`) !== undefined,
  );
}

/**
 * The status the spec gives an unknown id (`x-resource.notFound`, Easify's 400 "Invalid contact id")
 * says only that when its response cannot name another violation (no `x-error-body`): another
 * documented status of the acceptable ones answers the rest.
 */
function acceptableStatuses(operation: Operation, options: ErrorReplyOptions): readonly string[] {
  const notFound = operation.resource?.notFound?.status;
  if (options.cause === 'not-found' || notFound === undefined) return options.statuses;
  if (documentedResponse(operation, notFound)?.errorBody !== undefined) return options.statuses;
  const others = options.statuses.filter((status) => status !== notFound);
  return operation.responses.some((r) => others.includes(r.status)) ? others : options.statuses;
}

const MESSAGE_NAMES = /^(message|detail|error_description|error_?summary|description|msg|reason)$/i;

/** How far down a message is looked for: `error.message`, `errors[0].message`, `error.details.reason`. */
const MESSAGE_DEPTH = 3;

/** Names of a property that says which field or parameter is wrong, where it is, and which answer this is. */
const FIELD_NAMES = /^(field|field_?name|parameter|param|property|attribute|pointer)$/i;
const LOCATION_NAMES = /^(in|location)$/i;
const ANSWER_ID_NAMES = /^(error_?id|correlation_?id|request_?id|trace_?id)$/i;

/** What an error body says besides its message, kept where its schema does not require it. */
const ERROR_NAMES = /^(title|status|code|type|errors?|error_?causes)$/i;

/**
 * A made-up error body with only what its schema requires and what says what went wrong (a message,
 * the field, a status or code): its other optional properties (Stripe's `charge`, `decline_code`,
 * `doc_url`) would carry made-up values no answer to this request has.
 */
function pruned(value: unknown, schema: JsonSchema, depth = 0): unknown {
  if (depth > MESSAGE_DEPTH) return value;
  const flat = flatten(schema);
  if (Array.isArray(value)) {
    const items = flat.items;
    return isObject(items) ? value.map((item) => pruned(item, items as JsonSchema, depth + 1)) : value;
  }
  if (!isObject(value) || !flat.properties) return value;
  const required = new Set(flat.required ?? []);
  const says = (name: string) =>
    [MESSAGE_NAMES, FIELD_NAMES, LOCATION_NAMES, ANSWER_ID_NAMES, ERROR_NAMES].some((names) => names.test(name));
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value)) {
    const property = own(flat.properties, name);
    if (property !== undefined && !required.has(name) && !says(name)) continue;
    out[name] = property === undefined ? member : pruned(member, property, depth + 1);
  }
  return out;
}

/** Names of a list of human-readable messages (`{"errors": ["Email address is invalid"]}`). */
const MESSAGE_LIST_NAMES = /^(errors|messages|error_?messages)$/i;

/**
 * Writes `text` into the string properties named like a message, in the objects and lists of the
 * body, and one message per violation (`messages`, else `text`) into a non-empty list of strings
 * named for messages; those named for the field, its location or the answer's id get the first
 * violation's field and location and a new UUID, a `title` the status's own words (RFC 9457: a
 * summary of the problem, not an example's "Resource Not Found" for a 422), an `instance` given as
 * a UUID a new one: never a generated placeholder or one example's value for every error.
 */
function sayWhatWentWrong(
  body: unknown,
  text: string,
  violations: readonly Violation[],
  status: number,
  depth = 0,
): void {
  if (depth > MESSAGE_DEPTH) return;
  if (Array.isArray(body)) for (const item of body) sayWhatWentWrong(item, text, violations, status, depth + 1);
  if (!isObject(body)) return;
  const first = violations[0];
  for (const [key, value] of Object.entries(body)) {
    if (MESSAGE_LIST_NAMES.test(key) && isStringList(value))
      body[key] = violations.length > 0 ? violations.map((v) => v.message) : [text];
    else if (typeof value !== 'string') sayWhatWentWrong(value, text, violations, status, depth + 1);
    else if (MESSAGE_NAMES.test(key)) body[key] = text;
    else if (first && FIELD_NAMES.test(key)) body[key] = first.field;
    else if (first && LOCATION_NAMES.test(key)) body[key] = first.location;
    else if (ANSWER_ID_NAMES.test(key) || (key === 'instance' && UUID_TEXT.test(value))) body[key] = randomUUID();
    else if (key === 'title' && STATUS_CODES[status] !== undefined) body[key] = STATUS_CODES[status];
  }
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');

/**
 * The Content-Type of a body documented under `mediaType`: itself, or for a range (`*\/*`), which
 * labels no body, the type of the range a client reads the schema's value as: text for `text/*` and
 * for a string schema under `*\/*`, JSON for `application/*` and anything else under `*\/*`. A
 * range that holds neither (`image/*`) keeps its own name: nothing says which of its types it is.
 */
export function labelFor(mediaType: string, schema: JsonSchema | undefined): string {
  if (!isMediaRange(mediaType)) return mediaType;
  const types = schema ? declaredTypes(schema) : undefined;
  const text = mediaTypeMatches(mediaType, 'text/plain');
  if (text && (!coversJson(mediaType) || (types?.size === 1 && types.has('string')))) return 'text/plain';
  return coversJson(mediaType) ? 'application/json' : mediaType;
}

/** A documented error response, its example filled from what went wrong. */
export async function errorReply(context: ErrorContext, options: ErrorReplyOptions): Promise<Reply> {
  const { operation } = context;
  const statuses = acceptableStatuses(operation, options);
  const response = namedResponse(operation, options) ?? closestResponse(operation, statuses);
  const listed =
    response !== undefined && statuses.some((status) => documentedResponse(operation, status) === response);
  const code =
    options.otherwise !== undefined && !listed ? options.otherwise : numericStatus(response, statuses[0] ?? '400');
  const violations = options.violations ?? [];
  const headers = { ...options.headers };
  // No status documented for it (a spec with no client errors but 401 or 429): RFC 9457 problem details.
  if (!response) {
    return problem(code, 'Error', options.message ?? violations.map((v) => v.message).join('; '), headers);
  }
  const media = underRules(response, context.rules).content[0];
  if (!media) return { status: code, headers };
  let start: unknown;
  const example = exampleFor(response, media.examples, options);
  // No example to start from: a value made from the schema, every documented property present, so the body fits it.
  if (example) start = example.value;
  else start = media.schema ? pruned(sampleFrom(media.schema, code), media.schema) : undefined;
  const text = options.message ?? violations.map((v) => v.message).join('; ');
  const aboutBody = violations.length > 0 && violations.every((v) => v.location === 'body' || v.location === 'payload');
  const fill = (value: unknown, made: boolean): unknown => {
    const filled = fillErrorBody(value, response.errorBody, {
      violations,
      status: code,
      cause: options.cause,
      ...(options.message !== undefined ? { message: options.message } : {}),
      ...(options.subject ? { subject: options.subject } : {}),
    });
    // A body made from the schema, with no `x-error-body` to say where the message goes: the string
    // properties named for one say it, instead of a generated placeholder. So they do in an example
    // answered for what was wrong with the request's body: the example's message ("Email address is
    // invalid") names one mistake, and without `x-error-body` naming its examples by cause it would
    // be answered for every other one (malformed JSON, a wrong type, another field missing). A
    // refusal of something else (credentials, a path or query value, a record not found) keeps the
    // example's words, which may be the vendor's own for it.
    if (!response.errorBody && text !== '' && (made || aboutBody)) sayWhatWentWrong(filled, text, violations, code);
    return filled;
  };
  const filled = fill(start, !example);
  let body = filled;
  const label = labelFor(media.mediaType, media.schema);
  if (media.schema && isJsonMediaType(label)) {
    const validate = context.validators.get(media.schema, context.rules, 'response');
    // A filled-in value that breaks the schema (a message longer than allowed): the example as written.
    if (!validate(filled) && validate(start)) body = start;
    // An example the schema refuses (`example: null`, which 3.0 cannot tell from none; Xero's JSON
    // written as a string) is no example: a body made from the schema, where one fits.
    else if (example && !validate(filled)) {
      const made = fill(pruned(sampleFrom(media.schema, code), media.schema), true);
      if (validate(made) || start === null) body = made;
    }
  }
  // RFC 9457: a problem's `status` is the status it is answered with; so is an HTTP status a JSON
  // error body repeats (Mailchimp's problem details are labelled application/json).
  const repeated = isObject(body) && typeof body.status === 'number' && body.status >= 100 && body.status < 600;
  if (
    (mediaTypeEssence(label) === PROBLEM_JSON || (repeated && isJsonMediaType(label))) &&
    isObject(body) &&
    typeof body.status === 'number' &&
    body.status !== code
  ) {
    const stated = { ...body, status: code };
    if (!media.schema || context.validators.get(media.schema, context.rules, 'response')(stated)) body = stated;
  }
  if (!listed && options.otherwise !== undefined) {
    // A borrowed body must not say another status: as text it says nothing of ours, and a status
    // it repeats (`{"code": 400}`) becomes ours, or the answer is problem details after all.
    const borrowed = numericStatus(response, '');
    const restated = isJsonMediaType(label) ? withStatus(body, borrowed, code) : undefined;
    const fits =
      restated !== undefined &&
      (!media.schema || context.validators.get(media.schema, context.rules, 'response')(restated));
    if (!fits) return problem(code, 'Error', text, headers);
    body = restated;
  }
  return { status: code, headers: { 'content-type': label, ...headers }, body };
}

/** Names an error body gives the HTTP status it repeats. */
const STATUS_NAMES = ['status', 'code', 'statusCode', 'status_code', 'httpStatus', 'httpCode'];

/** The body with each top-level status-named number equal to `from` set to `to`. */
function withStatus(body: unknown, from: number, to: number): unknown {
  if (!isObject(body)) return body;
  const names = STATUS_NAMES.filter((name) => body[name] === from || body[name] === String(from));
  if (names.length === 0) return body;
  const copy: Record<string, unknown> = { ...body };
  for (const name of names) copy[name] = typeof body[name] === 'string' ? String(to) : to;
  return copy;
}
