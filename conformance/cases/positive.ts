/**
 * Valid requests: every example, the boundaries of every constraint (lengths, optional properties,
 * enum values, non-ASCII text, parameter bounds), and the seeded random bodies that fill what
 * `--max-cases` leaves of an operation once the plan has placed everything else. Each is re-validated.
 */

import type { PlacedVariant, Variant } from '../../lib/generators/schema.js';
import { randomValues, sampleValue, variantsOf, withoutReadOnly } from '../../lib/generators/values.js';
import { getPointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { resourceModel } from '../../lib/resources.js';
import { isPrimitive } from '../../lib/schema.js';
import type { Operation, Parameter } from '../../lib/spec.js';
import { roundTrip, serializeQuery } from '../../lib/wire.js';
import type { TestCase } from '../types.js';
import { type BuildContext, bodyMedia, isValid } from './context.js';
import { carriesCredential } from './credentials.js';
import {
  baseRequest,
  fromWire,
  isStructured,
  missingAsSent,
  optionalValue,
  payload,
  referencesOf,
  setParameter,
  validAsSent,
  wireText,
  withBody,
} from './request.js';
import { makeUnique } from './uniqueness.js';

export type Draft = Omit<TestCase, 'seq'>;

/** Valid bodies, labelled, before uniqueness stamps; duplicates removed. */
function validBodies(ctx: BuildContext, operation: Operation): Variant[] {
  const media = bodyMedia(operation);
  if (!media) return [];
  const bodies: Variant[] = media.examples.map((example) => ({
    label: `example ${example.name}`,
    value: withoutReadOnly(media.schema, example.value),
  }));
  // A JSON Patch that fits its schema may still name paths the record does not have: only the
  // vendor's examples (and the lifecycle's own patch) are requests a correct server must accept.
  if (resourceModel(ctx.spec).get(operation.operationId)?.resource.patch === 'json-patch') {
    return bodies.filter((body) => isValid(ctx, media.schema, body.value));
  }
  const base = sampleValue(media.schema, ctx.seed, true);
  bodies.push({ label: 'every writable property', value: base });
  // A boundary of an id that names another record is a record nobody made: the run writes a made id
  // there, so such a variant would only repeat another case (a list of them keeps its length variants).
  const refs = referencesOf(ctx, operation);
  const madeUp = (variant: PlacedVariant): boolean =>
    refs.some((ref) =>
      ref.each !== undefined
        ? variant.pointer.startsWith(`${ref.pointer}/`)
        : variant.pointer === ref.pointer && getPointer(variant.value, ref.pointer) !== undefined,
    );
  bodies.push(...variantsOf(media.schema, base, 'boundaries', ctx.seed).filter((variant) => !madeUp(variant)));
  const seen = new Set<string>();
  return bodies.filter((body) => {
    const key = JSON.stringify(body.value);
    if (seen.has(key) || !isValid(ctx, media.schema, body.value)) return false;
    seen.add(key);
    return true;
  });
}

/** One valid, unique body for the operation (stateful scenarios and setup requests use it). */
export function validBody(ctx: BuildContext, operation: Operation, value?: unknown): unknown {
  const media = bodyMedia(operation);
  if (!media) return undefined;
  return makeUnique(value ?? firstValidBody(ctx, operation, media.schema), operation, media.schema, ctx);
}

/** The body `validBody` starts from, before its unique values. */
function firstValidBody(ctx: BuildContext, operation: Operation, schema: JsonSchema): unknown {
  const example = bodyMedia(operation)?.examples[0];
  const start = example ? withoutReadOnly(schema, example.value) : sampleValue(schema, ctx.seed, false);
  // A form writes nothing for an empty required list, nor anything at all where no field is required
  // (no body, for a required one): every writable property then, as sent they fit.
  if (validAsSent(ctx, operation, start)) return start;
  const full = sampleValue(schema, ctx.seed, true);
  return validAsSent(ctx, operation, full) ? full : start;
}

export function positiveCases(ctx: BuildContext, operation: Operation): Draft[] {
  const media = bodyMedia(operation);
  const base = baseRequest(ctx, operation);
  const drafts: Draft[] = [];
  for (const body of validBodies(ctx, operation)) {
    const value = makeUnique(body.value, operation, media!.schema, ctx);
    if (!validAsSent(ctx, operation, value)) continue;
    drafts.push({
      operation,
      kind: 'positive',
      name: `positive: ${body.label}`,
      request: withBody(base, payload(operation, value)),
    });
  }
  const bodyFor = (): ReturnType<typeof payload> | undefined =>
    media ? payload(operation, validBody(ctx, operation)) : undefined;
  // A required form whose schema names no field gives no body to send: no valid case has one then.
  const noBody = media !== undefined && missingAsSent(operation, firstValidBody(ctx, operation, media.schema));
  // Path and header parameters name existing resources and tenants (an account id, Customer-Id):
  // a made-up value is not valid data, so query and cookie parameters get boundary variants, and the
  // optional ones are sent at their boundaries (every request without them is the absent case).
  const binding = resourceModel(ctx.spec).get(operation.operationId);
  const addressed = (name: string): boolean =>
    ctx.links.get(operation.operationId)?.has(name) === true || binding?.idParameter === name;
  // An update by query parameters writes its unique values there: each case its own, as in a body.
  const stamped = binding?.resource.patch === 'parameters' ? (binding.resource.unique?.fields ?? []) : [];
  // A value the config file gives (your account, your location) is the one sent: no other is valid data.
  for (const parameter of operation.parameters.filter(
    (p) =>
      (p.in === 'query' || p.in === 'cookie') &&
      !addressed(p.name) &&
      p.given !== true &&
      !carriesCredential(operation, p),
  )) {
    const current = optionalValue(parameter, ctx.seed);
    if (!current) continue;
    for (const variant of variantsOf(parameter.schema, current.value, 'boundaries', ctx.seed)) {
      const value =
        parameter.in === 'query' && stamped.includes(parameter.name)
          ? (ctx.stamps.uniqueValue(`query ${parameter.name}`, parameter.schema, variant.value, ctx.stamps.take()) ??
            variant.value)
          : variant.value;
      const primitive = isPrimitive(parameter.schema);
      const text = primitive && !isStructured(value) ? wireText(value) : undefined;
      const sent =
        text !== undefined ? { present: true, value: fromWire(text, parameter.schema) } : roundTrip(parameter, value);
      // An empty list writes nothing: for a required parameter that is a missing one, not a boundary.
      if (!sent.present && parameter.required) continue;
      // ... or, unexploded, `status=` (OpenAPI gives no empty form for pipes or spaces), which most
      // servers read as one empty item: no valid request says an empty list that way.
      if (sent.present && Array.isArray(value) && value.length === 0) continue;
      // An empty value (`?first_char=`) is one OpenAPI allows only where `allowEmptyValue` says so, and a
      // list's item written as one (`?team_ids[]=`, or `status=` for `['']`) is such a value too.
      if (parameter.in === 'query' && parameter.allowEmptyValue !== true && writesEmpty(parameter, value, text))
        continue;
      if (sent.present && !isValid(ctx, parameter.schema, sent.value)) continue;
      if (noBody) continue;
      const request = withBody(base, bodyFor());
      setParameter(request, parameter, { value });
      drafts.push({
        operation,
        kind: 'positive',
        name: `positive: ${parameter.in} ${parameter.name} ${variant.label.replace(/^\/ /, '')}`,
        request,
      });
    }
  }
  if (drafts.length === 0 && !noBody)
    drafts.push({ operation, kind: 'positive', name: 'positive: valid request', request: withBody(base, bodyFor()) });
  return drafts;
}

/** Whether a query value is written with an empty value anywhere: itself, or any item of a list. */
function writesEmpty(parameter: Parameter, value: unknown, text: string | undefined): boolean {
  if (text !== undefined) return text === '';
  return Array.isArray(value) && serializeQuery(parameter, value).some(([, written]) => written === '');
}

/**
 * Up to `count` seeded random valid requests (random bodies; the other parts as in every valid
 * request), none equal to a body in `taken`. Fewer when the schema has fewer distinct values.
 */
export function randomCases(ctx: BuildContext, operation: Operation, count: number, taken: Set<string>): Draft[] {
  const media = bodyMedia(operation);
  if (!media || count <= 0) return [];
  if (resourceModel(ctx.spec).get(operation.operationId)?.resource.patch === 'json-patch') return [];
  const base = baseRequest(ctx, operation);
  const drafts: Draft[] = [];
  // Twice as many as wanted: duplicates and values the re-validation refuses are dropped.
  const values = randomValues(media.schema, ctx.seed ^ hash(operation.operationId), count * 2);
  for (const raw of values) {
    if (drafts.length >= count) break;
    const key = JSON.stringify(raw);
    if (taken.has(key) || !isValid(ctx, media.schema, raw)) continue;
    taken.add(key);
    const value = makeUnique(raw, operation, media.schema, ctx);
    if (!validAsSent(ctx, operation, value)) continue;
    drafts.push({
      operation,
      kind: 'positive',
      name: `positive: random #${drafts.length + 1}`,
      request: withBody(base, payload(operation, value)),
    });
  }
  return drafts;
}

/** The key `randomCases` compares bodies by: the body value a positive draft sends, if any. */
export function bodyKey(draft: Draft): string | undefined {
  const body = draft.request.body;
  return body?.kind === 'value' ? JSON.stringify(body.value) : undefined;
}

/** FNV-1a: a stable number per operation, so each operation's random phase differs under one seed. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
