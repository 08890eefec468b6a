/**
 * Invalid requests, one violation each: body violations from the generators, an empty body,
 * malformed JSON, a wrong Content-Type, invalid parameters and missing or malformed required
 * headers. A body or parameter is only kept if AJV confirms it is invalid.
 */
import { sampleValue, variantsOf } from '../../lib/generators/values.js';
import { isObject } from '../../lib/json.js';
import { getPointer, setPointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { mediaTypeMatches } from '../../lib/media-type.js';
import { type Assumption, inferredOnly, responseAssumption } from '../../lib/provenance.js';
import { resourceModel, schemaAt } from '../../lib/resources.js';
import { rejectionResponses } from '../../lib/responses.js';
import { flatten, isPrimitive } from '../../lib/schema.js';
import { type Operation, pathKeyQuery, requestPath, type Spec } from '../../lib/spec.js';
import { roundTrip } from '../../lib/wire.js';
import { type BuildContext, bodyMedia, isValid } from './context.js';
import { carriesCredential } from './credentials.js';
import type { Draft } from './positive.js';
import { validBody } from './positive.js';
import {
  baseRequest,
  fromWire,
  isStructured,
  optionalValue,
  payload,
  readAsSent,
  sendsForm,
  sendsJson,
  setParameter,
  wireText,
  withBody,
} from './request.js';
import { makeUnique } from './uniqueness.js';

/**
 * The inferred rules a value breaks when it is valid under the vendor's documented rules (its
 * violation is only our assumption), else undefined.
 */
function assumedInvalid(ctx: BuildContext, schema: JsonSchema, value: unknown): Assumption[] | undefined {
  if (!ctx.validators.get(schema, 'documented', 'request')(value)) return undefined;
  const validate = ctx.validators.get(schema, 'all', 'request');
  validate(value);
  return inferredOnly(ctx.spec.source, validate.errors);
}

/**
 * When every documented answer to a refused request is only ours (`x-inferred: {response}`: the
 * vendor documents no validation error), that the server refuses an invalid request at all is our
 * assumption: a server that reads a malformed page as the first one keeps to what the vendor says.
 */
function refusalAssumptions(spec: Spec, operation: Operation): Assumption[] | undefined {
  const refusals = rejectionResponses(operation);
  if (refusals.length === 0 || !refusals.every((r) => r.inferred?.response !== undefined)) return undefined;
  return refusals.flatMap((r) => responseAssumption(spec, r, 'response') ?? []);
}

/** An id of the schema's type that no record has: far above any counted id, or a unique text. */
function unknownId(ctx: BuildContext, schema: JsonSchema, example: unknown): unknown {
  const stamp = ctx.stamps.take();
  if (typeof example === 'number') {
    const far = 999_000_000 + stamp.index;
    if (isValid(ctx, schema, far)) return far;
    // A bounded id (1 to 100000): the top of its range, the one a counting server reaches last.
    const top = flatten(schema).maximum;
    return top !== undefined && isValid(ctx, schema, top) ? top : undefined;
  }
  return ctx.stamps.uniqueValue('unknown id', schema, String(example), stamp);
}

/**
 * The list of ids a bulk delete sends in a case that names no record of the run (an invalid one): each
 * id the example gives (anyone's record) becomes one no record has, the same for the same id, so a
 * server that acts on an invalid request deletes nothing; a value that is the case's violation stays.
 */
function withUnknownIds(ctx: BuildContext, schema: JsonSchema, value: unknown, pointer: string): unknown {
  const list = getPointer(value, pointer);
  const items = schemaAt(schema, `${pointer}/0`);
  if (!Array.isArray(list) || !items) return value;
  const made = new Map<string, unknown>();
  const ids = list.flatMap((item) => {
    if (item === null || typeof item === 'object' || !isValid(ctx, items, item)) return [item];
    const key = JSON.stringify(item);
    if (!made.has(key)) made.set(key, unknownId(ctx, items, item));
    const id = made.get(key);
    return id === undefined ? [] : [id];
  });
  if (pointer === '') return ids;
  const copy = structuredClone(value);
  setPointer(copy, pointer, ids);
  return copy;
}

/** Header values must be visible ASCII to be sent at all; other violations cannot go on the wire. */
const SENDABLE_HEADER = /^[\x20-\x7e]*$/;

/** Content types sent as the wrong one, the first the operation does not document. */
const WRONG_TYPES = ['text/plain', 'application/xml', 'image/png'];

export function negativeCases(ctx: BuildContext, operation: Operation): Draft[] {
  const media = bodyMedia(operation);
  const base = baseRequest(ctx, operation);
  const drafts: Draft[] = [];
  const valid = media ? validBody(ctx, operation) : undefined;
  const bulkIds = resourceModel(ctx.spec).get(operation.operationId)?.resource.idsPointer;
  const validPayload = (): ReturnType<typeof payload> | undefined =>
    media ? payload(operation, validBody(ctx, operation)) : undefined;
  // Operations of this method, request path and fixed query (`/conversations#stream` beside
  // `/conversations`): a body one of them takes is that operation's request, not an invalid one of this.
  const path = requestPath(operation.path);
  const fixed = new URLSearchParams(pathKeyQuery(operation.path)).toString();
  const siblings = ctx.spec.operations.filter(
    (other) =>
      other !== operation &&
      other.method === operation.method &&
      requestPath(other.path) === path &&
      new URLSearchParams(pathKeyQuery(other.path)).toString() === fixed,
  );
  const siblingTakes = (value: unknown): boolean =>
    siblings.some((other) => {
      const theirs = bodyMedia(other);
      return theirs !== undefined && isValid(ctx, theirs.schema, value);
    });

  if (media) {
    const full = sampleValue(media.schema, ctx.seed, true);
    const form = sendsForm(operation);
    for (const variant of variantsOf(media.schema, full, 'violations', ctx.seed)) {
      // A form is fields of an object: a whole body of another type cannot be written as one (an
      // object lacking a required field, or with one too many, still can).
      if (form && variant.pointer === '' && !isObject(variant.value)) continue;
      // An empty form is no body at all: where the body is optional, that is a valid request.
      if (
        form &&
        isObject(variant.value) &&
        Object.keys(variant.value).length === 0 &&
        !operation.requestBody?.required
      )
        continue;
      // A body that lacks or breaks the record's id (or a reference, or an item of a list of them) keeps
      // it so: no created id is written over what the violation changed. Elsewhere the ids stay real, so
      // the case breaks only its own rule.
      const broken = (at: string): boolean =>
        JSON.stringify(getPointer(variant.value, at)) !== JSON.stringify(getPointer(full, at));
      const unique = makeUnique(variant.value, operation, media.schema, ctx);
      // ... except a bulk delete's broken list, whose ids become ones no record has; should that mend
      // the violation (no such id fits), the case is not made.
      const value =
        bulkIds !== undefined && broken(bulkIds) ? withUnknownIds(ctx, media.schema, unique, bulkIds) : unique;
      const read = readAsSent(operation, value);
      if (read === undefined || isValid(ctx, media.schema, read) || siblingTakes(read)) continue;
      const assumptions = assumedInvalid(ctx, media.schema, read);
      const request = withBody(base, payload(operation, value));
      if (base.bodyId && broken(base.bodyId.pointer)) delete request.bodyId;
      if (base.keyFromPath && broken(base.keyFromPath.pointer)) delete request.keyFromPath;
      const refs = base.bodyRefs?.filter((ref) => !broken(ref.pointer));
      if (refs && refs.length > 0) request.bodyRefs = refs;
      else delete request.bodyRefs;
      drafts.push({
        operation,
        kind: 'negative',
        name: `negative: ${variant.label}`,
        request,
        broken: 'body',
        ...(assumptions ? { assumptions } : {}),
      });
    }
    const body = operation.requestBody;
    if (body?.required) {
      const reason = body.inferred?.required;
      drafts.push({
        operation,
        kind: 'negative',
        broken: 'body',
        name: 'negative: empty body',
        request: withBody(base, { kind: 'raw', text: '', contentType: media.mediaType }),
        ...(reason !== undefined ? { assumptions: [{ pointer: body.pointer, keyword: 'required', reason }] } : {}),
      });
    }
    // A raw body names no record the run made: a list of member ids goes empty rather than carry an
    // example's ids, which a server reading past the Content-Type would act on.
    let raw = valid;
    const memberIds = resourceModel(ctx.spec).get(operation.operationId)?.resource.members?.ids ?? bulkIds;
    if (memberIds !== undefined && Array.isArray(getPointer(raw, memberIds))) {
      raw = memberIds === '' ? [] : structuredClone(raw);
      if (memberIds !== '') setPointer(raw, memberIds, []);
    }
    const text = JSON.stringify(raw);
    if (sendsJson(operation)) {
      drafts.push({
        operation,
        kind: 'negative',
        broken: 'body',
        name: 'negative: malformed JSON',
        request: withBody(base, {
          kind: 'raw',
          text: text.slice(0, Math.max(1, text.length - 1)),
          contentType: media.mediaType,
        }),
      });
    }
    // A type none of the documented ones (or ranges) covers: one the operation takes is no wrong one.
    const documented = operation.requestBody?.content ?? [];
    const wrong = WRONG_TYPES.find((type) => !documented.some((m) => mediaTypeMatches(m.mediaType, type)));
    if (wrong !== undefined)
      drafts.push({
        operation,
        kind: 'negative',
        broken: 'body',
        name: `negative: wrong Content-Type ${wrong}`,
        request: withBody(base, { kind: 'raw', text, contentType: wrong }),
      });
  }

  // An update by query parameters writes its unique values there: an invalid one is unique too.
  const binding = resourceModel(ctx.spec).get(operation.operationId);
  const stamped = binding?.resource.patch === 'parameters' ? (binding.resource.unique?.fields ?? []) : [];
  // Without a required parameter, the request is also one for an operation with this one's method and
  // request path (`/files/{id}` beside `/files/{id}#shared_link`), whose answer says nothing of this one.
  const shared = siblings.length > 0;
  for (const parameter of operation.parameters) {
    // Credentials are the auth cases' to break.
    if (carriesCredential(operation, parameter)) continue;
    const kind = parameter.in === 'header' ? 'header' : 'negative';
    if (parameter.in !== 'path' && parameter.required && !shared) {
      const request = withBody(base, validPayload());
      if (parameter.in === 'header') {
        delete request.headers[parameter.name];
        request.omitHeaders = [parameter.name];
      } else if (parameter.in === 'cookie') delete request.cookies[parameter.name];
      else delete request.query[parameter.name];
      drafts.push({
        operation,
        kind,
        name: `${kind}: required ${parameter.in} ${parameter.name} missing`,
        request,
        broken: parameter.in,
      });
    }
    // An optional parameter is checked when present: each violation is sent in it.
    const primitive = isPrimitive(parameter.schema);
    const current = optionalValue(parameter, ctx.seed);
    if (!current) continue;
    for (const variant of variantsOf(parameter.schema, current.value, 'violations', ctx.seed)) {
      const value =
        parameter.in === 'query' && stamped.includes(parameter.name)
          ? (ctx.stamps.uniqueInvalid(`query ${parameter.name}`, parameter.schema, variant.value, ctx.stamps.take()) ??
            variant.value)
          : variant.value;
      // Primitives travel as text: a wrong type is text the style could never write, sent as it is.
      const text = primitive && !isStructured(value) ? wireText(value) : undefined;
      const sent =
        text !== undefined ? { present: true, value: fromWire(text, parameter.schema) } : roundTrip(parameter, value);
      // What the server reads is what is judged: an array of one may read as valid, an empty list as absent.
      if (!sent.present) continue;
      // ... and, unexploded, `tags=` is as often read as one empty item: no list is surely below minItems.
      if (Array.isArray(value) && value.length === 0) continue;
      const read = sent.value;
      if (isValid(ctx, parameter.schema, read)) continue;
      if (text !== undefined && parameter.in === 'header' && !SENDABLE_HEADER.test(text)) continue;
      if (text !== undefined && (parameter.in === 'path' || parameter.in === 'cookie') && text === '') continue;
      const assumptions = assumedInvalid(ctx, parameter.schema, read);
      const request = withBody(base, validPayload());
      setParameter(request, parameter, text !== undefined ? { text } : { value });
      if (parameter.in === 'header') request.forceHeaders = [parameter.name];
      drafts.push({
        operation,
        kind,
        name: `${kind}: ${parameter.in} ${parameter.name} ${variant.label.replace(/^\/ /, '')}`,
        request,
        broken: parameter.in,
        ...(assumptions ? { assumptions } : {}),
      });
    }
  }
  // A request invalid only under an inferred rule tests that rule: an answer accepting it refutes
  // the rule, not the refusal.
  const refusal = refusalAssumptions(ctx.spec, operation);
  if (!refusal) return drafts;
  return drafts.map((draft) => (draft.assumptions ? draft : { ...draft, assumptions: refusal }));
}
