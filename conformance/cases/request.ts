/** The valid request of an operation, which every case starts from and changes one thing in. */

import { formRoundTrip } from '../../lib/form.js';
import { UnsatisfiableSchemaError } from '../../lib/generators/schema.js';
import { sampleValue } from '../../lib/generators/values.js';
import { isObject } from '../../lib/json.js';
import { escapeToken } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { isFormMediaType, isJsonMediaType } from '../../lib/media-type.js';
import { createdIdExpression, type ResourceBinding, resourceModel, schemaAt } from '../../lib/resources.js';
import { collectionNamedBy } from '../../lib/rest-shape.js';
import { flatten, mainType } from '../../lib/schema.js';
import type { Operation, Parameter } from '../../lib/spec.js';
import { coerceText, objectProperties, parameterText, serializeHeader } from '../../lib/wire.js';
import type { BodyRef, LinkedValue, PlannedBody, PlannedRequest, WireValue } from '../types.js';
import { type BuildContext, bodyMedia, isValid, requireDeclaredPath, requireWritableBody } from './context.js';
import { carriesCredential, credentials } from './credentials.js';

/** How a primitive parameter value travels as text. */
export const wireText = parameterText;

/**
 * An object or a list: what a style writes as such (`created[gt]=1`), even for a schema that also
 * takes a single value (`anyOf: [{type: object}, {type: integer}]`, Stripe's `created`).
 */
export const isStructured = (value: unknown): boolean => value !== null && typeof value === 'object';

/** The value a server reads back from the wire text, for re-validating parameter cases. */
export const fromWire = (text: string, schema: JsonSchema): unknown => coerceText(text, schema);

export const isLinked = (value: WireValue | LinkedValue): value is LinkedValue => 'sourceOperationId' in value;

/** A valid value for the parameter: its example, else one made from its schema. */
export function parameterValue(parameter: Parameter, seed: number): unknown {
  if (parameter.example !== undefined) return parameter.example;
  try {
    return sampleValue(parameter.schema, seed);
  } catch (error) {
    if (!(error instanceof UnsatisfiableSchemaError)) throw error;
    // Named by the parameter: the schema's own pointer (`/`) says nothing of where it is.
    throw new UnsatisfiableSchemaError(
      `${parameter.in} ${parameter.name}${error.pointer}`,
      error.keyword,
      error.reason,
    );
  }
}

/** The value of an optional parameter, or undefined when no value fits its schema (it is left out). */
export function optionalValue(parameter: Parameter, seed: number): { value: unknown } | undefined {
  try {
    return { value: parameterValue(parameter, seed) };
  } catch (error) {
    if (parameter.required || !(error instanceof UnsatisfiableSchemaError)) throw error;
    return undefined;
  }
}

function linkedParameter(ctx: BuildContext, operation: Operation, name: string): LinkedValue | undefined {
  return ctx.links.get(operation.operationId)?.get(name);
}

/** The create of a collection and where its answer carries the new id. */
export function creatorOf(
  ctx: BuildContext,
  collection: string,
): { operationId: string; expression: string } | undefined {
  for (const [operationId, binding] of resourceModel(ctx.spec)) {
    // A body names records by their ids, whatever their paths name them by.
    const expression = createdIdExpression(binding);
    if (binding.resource.collection === collection && binding.resource.action === 'create' && expression)
      return { operationId, expression };
  }
  return undefined;
}

/**
 * The body fields of an operation that name records of other collections (`x-resource.related`: a
 * lookup's `by`, or the items of a membership's `field`, when its body has that property; the ids of
 * an add-members or remove-members), each fed by that collection's create: a run names only records
 * it made, never an example's ids, which may be someone's real records.
 */
export function referencesOf(ctx: BuildContext, operation: Operation): BodyRef[] {
  const binding = resourceModel(ctx.spec).get(operation.operationId);
  const sent = bodyMedia(operation)?.schema;
  const properties = sent ? (flatten(sent).properties ?? {}) : {};
  const refs: BodyRef[] = [];
  for (const rule of binding?.resource.related ?? []) {
    if ('count' in rule) continue;
    const [property, collection] = 'from' in rule ? [rule.by, rule.from] : [rule.field, rule.memberOf];
    const create = Object.hasOwn(properties, property) ? creatorOf(ctx, collection) : undefined;
    if (!create) continue;
    const linked: LinkedValue = {
      sourceOperationId: create.operationId,
      expression: create.expression,
      reference: true,
    };
    refs.push({ pointer: `/${escapeToken(property)}`, ...('memberOf' in rule ? { each: rule.key } : {}), linked });
  }
  refs.push(...namedByIdRefs(ctx, operation, sent, new Set(refs.map((ref) => ref.pointer))));
  const members = binding?.resource.members;
  const create = members?.ids !== undefined ? creatorOf(ctx, members.collection) : undefined;
  if (members?.ids !== undefined && create) {
    const linked: LinkedValue = {
      sourceOperationId: create.operationId,
      expression: create.expression,
      reference: true,
    };
    refs.push({ pointer: members.ids, items: true, linked });
  }
  return refs;
}

/**
 * The body's single values named for the id of another collection's records (`user_id`, one wrapper
 * down too: `{"membership": {"organization_id": 1}}`, `{"user": {"id": 1}}`), where the run makes such records and they
 * fit the value's type: each is fed a record the run made, never a made-up or an example's number,
 * which may be someone's real user.
 */
function namedByIdRefs(
  ctx: BuildContext,
  operation: Operation,
  sent: JsonSchema | undefined,
  declared: ReadonlySet<string>,
): BodyRef[] {
  const model = resourceModel(ctx.spec);
  const own = model.get(operation.operationId)?.resource.collection;
  const properties = (schema: JsonSchema | undefined, at: string): [string, string, JsonSchema][] =>
    Object.entries((schema && objectProperties(schema)) ?? {}).map(([name, property]) => [
      `${at}/${escapeToken(name)}`,
      name,
      property,
    ]);
  const top = properties(sent, '');
  // One wrapper down too, where an `id` is named by its wrapper (`{"user": {"id": ...}}` names a user).
  const candidates = [
    ...top,
    ...top.flatMap(([pointer, wrapper, property]) =>
      mainType(flatten(property)) === 'object'
        ? properties(property, pointer).map(([at, name, inner]): [string, string, JsonSchema] => [
            at,
            name === 'id' ? `${wrapper}_id` : name,
            inner,
          ])
        : [],
    ),
  ];
  return candidates.flatMap(([pointer, name, property]): BodyRef[] => {
    const collection = declared.has(pointer) ? undefined : collectionNamedBy(ctx.spec, name);
    const create = collection && collection.path !== own ? creatorOf(ctx, collection.path) : undefined;
    const idKind = create && model.get(create.operationId)?.idKind;
    const type = mainType(flatten(property));
    const numeric = type === 'integer' || type === 'number';
    if (!create || property.readOnly === true || (numeric ? idKind !== 'integer' : type !== 'string')) return [];
    const linked: LinkedValue = {
      sourceOperationId: create.operationId,
      expression: create.expression,
      reference: true,
    };
    // A number's id where the body takes text (`"user_id": "7"`) goes as that text.
    return [{ pointer, ...(type === 'string' && idKind === 'integer' ? { text: true as const } : {}), linked }];
  });
}

/**
 * The items in the order their records can be deleted: those of collections whose records name
 * records of others first (contacts before the groups they are in), so a server that refuses to
 * delete a record still named elsewhere is not asked to. Otherwise the order is kept.
 */
export function referringFirst<T>(
  ctx: BuildContext,
  items: readonly T[],
  collectionOf: (item: T) => string | undefined,
) {
  const refers = (item: T): boolean => {
    const collection = collectionOf(item);
    const create = collection === undefined ? undefined : creatorOf(ctx, collection);
    const operation = create && ctx.spec.operations.find((o) => o.operationId === create.operationId);
    return operation !== undefined && referencesOf(ctx, operation).length > 0;
  };
  return [...items.filter(refers), ...items.filter((item) => !refers(item))];
}

/** The body of a case: a value the operation's media type encodes. */
export function payload(operation: Operation, value: unknown): PlannedBody {
  return { kind: 'value', value, mediaType: bodyMedia(operation)?.mediaType ?? 'application/json' };
}

/** Whether the case bodies are JSON (malformed-JSON cases only make sense then). */
export function sendsJson(operation: Operation): boolean {
  const media = bodyMedia(operation);
  return media !== undefined && isJsonMediaType(media.mediaType);
}

/** Whether the case bodies are forms (their values are texts on the wire). */
export function sendsForm(operation: Operation): boolean {
  return isFormMediaType(bodyMedia(operation)?.mediaType);
}

/**
 * Whether a body value is valid as the server reads it: a form writes no field for an empty list or
 * object, so a value valid as JSON can arrive without a required field.
 */
export function validAsSent(ctx: BuildContext, operation: Operation, value: unknown): boolean {
  const media = bodyMedia(operation);
  if (!media) return true;
  if (missingAsSent(operation, value)) return false;
  const read = readAsSent(operation, value);
  return read !== undefined && isValid(ctx, media.schema, read);
}

/**
 * Whether a required body goes out as no body at all: an empty text, or a form that writes no field
 * (`{}`, or only empty lists), which is an empty body or a multipart one of no part.
 */
export function missingAsSent(operation: Operation, value: unknown): boolean {
  const media = bodyMedia(operation);
  if (!media || !operation.requestBody?.required || isJsonMediaType(media.mediaType)) return false;
  const read = readAsSent(operation, value);
  return read === '' || (sendsForm(operation) && isObject(read) && Object.keys(read).length === 0);
}

/** A body value as the server reads it: a form's fields as their schemas read them, a text or byte body as its text. */
export function readAsSent(operation: Operation, value: unknown): unknown {
  const media = bodyMedia(operation);
  if (!media || isJsonMediaType(media.mediaType)) return value;
  if (sendsForm(operation)) return isObject(value) ? formRoundTrip(value, media.schema, media.encoding) : value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Sets a parameter of the request to a value its style writes. */
export function setParameter(request: PlannedRequest, parameter: Parameter, value: WireValue): void {
  if (parameter.in === 'path') request.pathParams[parameter.name] = value;
  else if (parameter.in === 'query') request.query[parameter.name] = value;
  else if (parameter.in === 'cookie') request.cookies[parameter.name] = value;
  else request.headers[parameter.name] = 'text' in value ? value.text : serializeHeader(parameter, value.value);
}

/**
 * A record of a nested collection (`/contacts/{contactId}/notes/{noteId}`) is its parent's: a request
 * about a record `creator` made names the parent the create wrote to (the create's own value for that
 * path parameter), not the operation's own example, which a server keeping records per parent answers 404.
 */
export function alignParent(
  ctx: BuildContext,
  operation: Operation,
  request: PlannedRequest,
  creator: Operation,
): void {
  if (creator === operation) return;
  for (const parameter of operation.parameters) {
    const own = request.pathParams[parameter.name];
    if (parameter.in !== 'path' || own === undefined || 'sourceOperationId' in own) continue;
    const theirs = creator.parameters.find((p) => p.in === 'path' && p.name === parameter.name);
    // A parent the create takes from yet another record varies with it: nothing to align.
    if (!theirs || linkedParameter(ctx, creator, theirs.name)) continue;
    request.pathParams[parameter.name] = { value: parameterValue(theirs, ctx.seed) };
  }
}

/** How few ids a bulk delete's list may hold: its `minItems`, at least one. */
export function fewestIds(operation: Operation, pointer: string): number {
  const list = schemaAt(bodyMedia(operation)?.schema, pointer);
  return Math.max(1, (list ? flatten(list).minItems : undefined) ?? 1);
}

/** A bulk delete's list of ids: as few records the run made as its schema allows. */
export function bulkIds(operation: Operation, pointer: string, linked: LinkedValue): BodyRef {
  return { pointer, items: true, count: fewestIds(operation, pointer), linked };
}

/** Whether an operation takes the ids of the records it acts on in its body (`idPointer`, `idsPointer`). */
export const carriesIds = (binding: ResourceBinding): boolean =>
  binding.resource.idPointer !== undefined || binding.resource.idsPointer !== undefined;

/** Parameters and credentials of a valid request; the body is added by each case. */
export function baseRequest(ctx: BuildContext, operation: Operation): PlannedRequest {
  requireDeclaredPath(operation);
  requireWritableBody(operation);
  const auth = credentials(operation, ctx.nonce);
  const request: PlannedRequest = {
    pathParams: {},
    query: Object.fromEntries(Object.entries(auth.query).map(([name, text]) => [name, { text }])),
    cookies: {},
    headers: { ...auth.headers },
    omitHeaders: [],
    forceHeaders: [],
  };
  for (const parameter of operation.parameters) {
    if (carriesCredential(operation, parameter)) continue;
    const linked = linkedParameter(ctx, operation, parameter.name);
    if (parameter.in === 'path')
      request.pathParams[parameter.name] = linked ?? { value: parameterValue(parameter, ctx.seed) };
    else if (parameter.in === 'query' && linked) request.query[parameter.name] = linked;
    else if (parameter.required) setParameter(request, parameter, { value: parameterValue(parameter, ctx.seed) });
  }
  for (const value of Object.values(request.pathParams)) {
    if (!('sourceOperationId' in value)) continue;
    const creator = ctx.spec.operations.find((op) => op.operationId === value.sourceOperationId);
    if (creator) alignParent(ctx, operation, request, creator);
  }
  // An operation that takes its record's id in the body gets one the collection's create made.
  const binding = resourceModel(ctx.spec).get(operation.operationId);
  // An update by query parameters writes unique values there: each case its own.
  if (binding?.resource.patch === 'parameters') {
    for (const field of binding.resource.unique?.fields ?? []) {
      const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === field);
      const current = request.query[field];
      if (!parameter || !current || !('value' in current)) continue;
      const value = ctx.stamps.uniqueValue(`query ${field}`, parameter.schema, current.value, ctx.stamps.take());
      if (value !== undefined) request.query[field] = { value };
    }
  }
  const refs = referencesOf(ctx, operation);
  if (refs.length > 0) request.bodyRefs = refs;
  // The body's copy of what the path names the record by (its key, or the id the path is fed) is the path's.
  const fed = binding?.idParameter === undefined ? undefined : request.pathParams[binding.idParameter];
  const named =
    fed &&
    'expression' in fed &&
    binding?.idField !== undefined &&
    fed.expression.endsWith(`/${escapeToken(binding.idField)}`)
      ? binding.idField
      : undefined;
  const key = binding?.keyField ?? named;
  const sentSchema = bodyMedia(operation)?.schema;
  // In a body that wraps its record (`{"contact": {"id"}}`), the copy is the record's.
  const record = binding?.resource.record ?? '';
  const wrapped = record !== '' && sentSchema ? schemaAt(sentSchema, record) : undefined;
  const holder = wrapped && flatten(wrapped).properties?.[key ?? ''] ? record : '';
  const holds =
    holder !== '' || (sentSchema !== undefined && flatten(sentSchema).properties?.[key ?? ''] !== undefined);
  if (key !== undefined && binding?.idParameter !== undefined && holds)
    request.keyFromPath = { pointer: `${holder}/${escapeToken(key)}`, parameter: binding.idParameter };
  const members = binding?.resource.members;
  if (members?.ids !== undefined && !creatorOf(ctx, members.collection)) {
    const reason = `no operation of the spec creates the ${members.collection} records to put at ${members.ids}`;
    request.unmadeIds = { pointer: members.ids, reason };
  }
  const create = binding && carriesIds(binding) ? creatorOf(ctx, binding.resource.collection) : undefined;
  if (binding && create) {
    const linked = { sourceOperationId: create.operationId, expression: create.expression };
    const { idPointer, idsPointer } = binding.resource;
    if (idPointer !== undefined) request.bodyId = { pointer: idPointer, linked };
    // A bulk delete names records the run made, never an example's ids (anyone's records).
    if (idsPointer !== undefined)
      request.bodyRefs = [...(request.bodyRefs ?? []), bulkIds(operation, idsPointer, linked)];
  }
  return request;
}

export function withBody(request: PlannedRequest, body: PlannedBody | undefined): PlannedRequest {
  const copy: PlannedRequest = {
    ...request,
    pathParams: { ...request.pathParams },
    query: { ...request.query },
    cookies: { ...request.cookies },
    headers: { ...request.headers },
  };
  if (body) copy.body = body;
  else delete copy.body;
  return copy;
}
