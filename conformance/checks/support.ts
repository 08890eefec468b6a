/** Readers of an answer that several checks share: the documented response, bodies, throttling. */

import type { ErrorObject } from 'ajv';
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import { isEventStream, parseEvents } from '../../lib/event-stream.js';
import { isObject } from '../../lib/json.js';
import { appendPointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { isJsonMediaType, isMediaRange, mediaTypeEssence, mediaTypeMatches } from '../../lib/media-type.js';
import {
  type Assumption,
  INFERRED,
  inferredOnly,
  markedPointer,
  nodeAt,
  responseAssumption,
} from '../../lib/provenance.js';
import { notFoundStatus, recordParameter, resourceModel } from '../../lib/resources.js';
import { documentedResponse, rejectionResponses, underRules } from '../../lib/responses.js';
import { declaredTypes, jsonEqual } from '../../lib/schema.js';
import type { MediaType, Operation, Response, Spec } from '../../lib/spec.js';
import { readParameter } from '../../lib/wire.js';
import { provablyPremature } from '../throttle.js';
import type { CheckContext, Failure, ReceivedResponse, Rules, TestCase } from '../types.js';

export { isSuccess } from '../../lib/responses.js';

/**
 * The spec's response for a status under a rule set: with `documented` rules, a status the vendor
 * does not document at all is undocumented, and one it documents without a body has none.
 */
export function documentedFor(operation: Operation, status: number, rules: Rules): Response | undefined {
  const response = documentedResponse(operation, status);
  if (!response || rules === 'all') return response;
  return response.inferred?.response !== undefined ? undefined : underRules(response, rules);
}

/**
 * The `response` assumptions of the statuses of `status`'s class when every one of them is only
 * ours (the vendor shows the answer but not its status): another status of that class refutes them
 * instead of being undocumented.
 */
export function guessedStatuses(spec: Spec, operation: Operation, status: number): Assumption[] | undefined {
  const sameClass = operation.responses.filter((r) => r.status[0] === String(status)[0]);
  if (sameClass.length === 0 || !sameClass.every((r) => r.inferred?.response !== undefined)) return undefined;
  return sameClass.flatMap((r) => responseAssumption(spec, r, 'response') ?? []);
}

/** The assumption that a documented response header is required, when only we say so. */
export function headerRequiredAssumption(spec: Spec, response: Response, name: string): Assumption | undefined {
  // Asked for every answer that carries the header: the same for a spec's response and name.
  let known = requiredBy.get(response);
  if (!known) requiredBy.set(response, (known = new Map()));
  if (!known.has(name)) known.set(name, headerRequired(spec, response, name));
  return known.get(name);
}

const requiredBy = new WeakMap<Response, Map<string, Assumption | undefined>>();

function headerRequired(spec: Spec, response: Response, name: string): Assumption | undefined {
  const pointer = markedPointer(spec.source, response.pointer);
  const headers = nodeAt(spec.source, `${pointer}/headers`);
  if (!isObject(headers) || !isObject(headers[name])) return undefined;
  const at = markedPointer(spec.source, appendPointer(appendPointer(pointer, 'headers'), name));
  const marks = nodeAt(spec.source, `${at}/${INFERRED}`);
  const reason = isObject(marks) ? marks.required : undefined;
  return typeof reason === 'string' ? { pointer: at, keyword: 'required', reason } : undefined;
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

/** The documented media type the response claims, else the first documented one; a range read as the claimed type. */
export function documentedMedia(documented: Response, response: ReceivedResponse): MediaType | undefined {
  const actual = mediaTypeOf(response);
  const media =
    (actual && documented.content.find((m) => mediaTypeMatches(m.mediaType, actual))) || documented.content[0];
  // A range (`*/*`) gives the schema of a body of any type: the body is read as the type it is labelled.
  return media && actual && isMediaRange(media.mediaType) ? { ...media, mediaType: actual } : media;
}

/** `/data/items/3/id: must be integer` -> `/data/items/*\/id type`: what stays the same across cases. */
export function errorKey(errors: readonly ErrorObject[]): string {
  return [...new Set(errors.map((e) => `${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*')} ${e.keyword}`))]
    .sort()
    .join(', ');
}

/** A body can break its schema a million times: the first errors say what is wrong, the count how often. */
const MAX_LISTED_ERRORS = 20;

function listedErrors(errors: readonly ErrorObject[]): string[] {
  const listed = formatAjvErrors(errors.slice(0, MAX_LISTED_ERRORS));
  if (errors.length > MAX_LISTED_ERRORS) listed.push(`… and ${errors.length - MAX_LISTED_ERRORS} more errors`);
  return listed;
}

/** A response header's value as its style (simple) writes it: a list or an object is comma-separated. */
export function headerAsRead(header: { name: string }, schema: JsonSchema, value: string): unknown {
  const read = readParameter({ name: header.name, in: 'header', schema }, { headers: { [header.name]: value } });
  return read.present ? read.value : value;
}

/**
 * Whether the runner can read a body of this media type as the value its schema describes: JSON and
 * event streams are parsed; any other body is its text, which a schema for an object, a list or a
 * number cannot describe (a raw stream, JSON Lines or XML the runner does not read): not judged.
 */
export function readableBody(mediaType: string, schema: JsonSchema): boolean {
  if (isJsonMediaType(mediaType) || isEventStream(mediaType)) return true;
  const types = declaredTypes(schema);
  return types === undefined || types.has('string');
}

/**
 * Validates the body against the schema documented for `status`; `kind` names it in the message
 * (`the 200 schema`, `the 422 error schema`).
 */
export function validateBody(
  ctx: CheckContext,
  media: MediaType,
  schema: JsonSchema,
  response: ReceivedResponse,
  status: string,
  kind: 'schema' | 'error schema',
  contentAssumption: Assumption[] | undefined,
): Failure | undefined {
  let value: unknown = response.text;
  const expected = `the ${status} ${kind} (${media.mediaType})`;
  const empty = response.text.trim() === '';
  // No content is no value of any type the schema describes but text: a body of a type the runner does
  // not read (`*/*`, XML) is judged when it is empty.
  if (empty && (isJsonMediaType(media.mediaType) || !readableBody(media.mediaType, schema))) {
    return {
      message: `empty body where the ${status} ${kind} is documented`,
      expected,
      actual: `${response.status} (empty body)`,
      key: `${status} empty`,
      ...(contentAssumption ? { assumptions: contentAssumption } : {}),
    };
  }
  if (isEventStream(media.mediaType)) return validateEvents(ctx, schema, response, expected, status, kind);
  if (isJsonMediaType(media.mediaType)) {
    if (!response.json) {
      return {
        message: 'body is not valid JSON',
        expected,
        actual: got(response),
        key: `${status} not JSON`,
        ...(contentAssumption ? { assumptions: contentAssumption } : {}),
      };
    }
    value = response.json.value;
  }
  const validate = ctx.validators.get(schema, ctx.rules, 'response');
  if (validate(value)) return undefined;
  // A body that is ours as a whole (`content`) is refuted by any body the server sends instead.
  const assumptions = contentAssumption ?? inferredOnly(ctx.spec.source, validate.errors);
  return {
    message: `body does not match the ${status} ${kind}`,
    expected,
    actual: got(response),
    errors: listedErrors(validate.errors),
    key: `${status} ${errorKey(validate.errors)}`,
    ...(assumptions ? { assumptions } : {}),
  };
}

/**
 * A server-sent event stream: each event must fit the schema, read as the event (`event`, `data`,
 * `id`, `retry`) or as its data alone (lib/event-stream). A body with text but no event is no stream.
 */
function validateEvents(
  ctx: CheckContext,
  schema: JsonSchema,
  response: ReceivedResponse,
  expected: string,
  status: string,
  kind: 'schema' | 'error schema',
): Failure | undefined {
  const events = parseEvents(response.text);
  if (events.length === 0 && response.text.trim() !== '') {
    return {
      message: 'body is not a stream of server-sent events (no "data:" line)',
      expected,
      actual: got(response),
      key: `${status} not an event stream`,
    };
  }
  const validate = ctx.validators.get(schema, ctx.rules, 'response');
  // The schema reads events as objects when it describes a `data` member; else their data alone.
  const asEvents = isObject(schema.properties) && 'data' in schema.properties;
  for (const [i, event] of events.entries()) {
    if (validate(event) || validate(event.data)) continue;
    validate(asEvents ? event : event.data);
    return {
      message: `event ${i + 1} of ${events.length} does not match the ${status} ${kind}`,
      expected,
      actual: got(response),
      errors: listedErrors(validate.errors),
      key: `${status} event ${errorKey(validate.errors)}`,
    };
  }
  return undefined;
}

/**
 * How a throttled answer (the spec's x-rate-limit status to a case that did not ask for it) can be
 * judged: `premature` when the run proves the server had seen fewer requests than the documented
 * limit, `unjudged` when it cannot (the quota may have been used before the run, or by requests
 * still in flight), `none` when the answer is not a throttle.
 */
export function throttleState(ctx: CheckContext): 'none' | 'premature' | 'unjudged' {
  const throttle = ctx.exchange.throttle;
  const limit = ctx.spec.rateLimit;
  if (!throttle || !limit) return 'none';
  return provablyPremature(throttle, limit) ? 'premature' : 'unjudged';
}

/**
 * The documented refusals of a case's request: a not-found (404) refuses a path that names nothing,
 * not a malformed query, header or body (SendGrid's list read documents 200 and 404 alone).
 */
export function refusalsOf(testCase: Pick<TestCase, 'operation' | 'broken'>): Response[] {
  const refusals = rejectionResponses(testCase.operation);
  return testCase.broken === undefined || testCase.broken === 'path'
    ? refusals
    : refusals.filter((r) => r.status !== '404');
}

export const THROTTLED = 'throttled by the server: the run cannot tell whether its quota was used before';

/**
 * Whether everything the case's path names is known to exist: each parameter a record of the run (an
 * id an earlier answer gave), a value the user gave (an account id from the config file), or the
 * parent the run's record was made under (`storeId` of `/stores/{storeId}/things/{thingId}` beside a
 * thing the run made there). A made-up member id under a list the run made may name no member: its
 * 404 blames neither.
 */
/**
 * A not-found to a valid request whose path names what the run did not make (an example or made-up
 * id, where its create was not tested or the spec has none): it may name no record at all, and the
 * answer judges neither the data nor the documentation. A 404 whatever the document lists. The
 * not-found the operation documents otherwise (`notFoundStatus`: a declared one, or a 400 where no
 * 404 is documented) too, but only where the made-up id is the record's own, the path's last part
 * (`/things/{id}`): such a status also refuses a malformed body, and a create under a made-up parent
 * (`/accounts/{accountId}/contacts`) refused with it may be refused for its body.
 */
export function notFoundUnanchored({ response, testCase, spec }: CheckContext): boolean {
  if (!response || testCase.kind !== 'positive' || anchored(testCase, spec)) return false;
  if (response.status === 404) return true;
  const { operation } = testCase;
  if (String(response.status) !== notFoundStatus(operation, resourceModel(spec).get(operation.operationId)))
    return false;
  const own = recordParameter(operation);
  const value = own === undefined ? undefined : testCase.request.pathParams[own];
  return value !== undefined && !('sourceOperationId' in value) && !givenValue(operation, own!, value);
}

/** Whether a path parameter's value is the one the user gave (the config file's `parameters:`). */
function givenValue(operation: Operation, name: string, value: object): boolean {
  return (
    'value' in value &&
    operation.parameters.some(
      (p) => p.in === 'path' && p.name === name && p.given === true && jsonEqual(p.example, value.value),
    )
  );
}

export function anchored(testCase: TestCase, spec: Spec): boolean {
  const entries = Object.entries(testCase.request.pathParams);
  const made = entries.some(([, value]) => 'sourceOperationId' in value && !value.reference);
  const parents = made ? (resourceModel(spec).get(testCase.operation.operationId)?.parentParameters ?? []) : [];
  return entries.every(
    ([name, value]) =>
      'sourceOperationId' in value || parents.includes(name) || givenValue(testCase.operation, name, value),
  );
}
