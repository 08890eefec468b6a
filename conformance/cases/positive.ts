/**
 * Valid requests: every example, the boundaries of every constraint (lengths, optional properties,
 * enum values, non-ASCII text, parameter bounds) and a seeded random phase. Each is re-validated.
 */
import type { Operation } from '../../lib/spec.js';
import type { Variant } from '../generators/schema.js';
import { randomValues, sampleValue, variantsOf, withoutReadOnly } from '../generators/values.js';
import type { TestCase } from '../types.js';
import { type BuildContext, isValid, jsonBody } from './context.js';
import { baseRequest, fromWire, jsonPayload, wireText, withBody } from './request.js';
import { makeUnique } from './uniqueness.js';

export type Draft = Omit<TestCase, 'seq'>;

/** Valid bodies, labelled, before uniqueness stamps; duplicates removed. */
function validBodies(ctx: BuildContext, operation: Operation): Variant[] {
  const media = jsonBody(operation);
  if (!media) return [];
  const bodies: Variant[] = media.examples.map((example) => ({
    label: `example ${example.name}`,
    value: withoutReadOnly(media.schema, example.value),
  }));
  const base = sampleValue(media.schema, ctx.seed, true);
  bodies.push({ label: 'every writable property', value: base });
  bodies.push(...variantsOf(media.schema, base, 'boundaries', ctx.seed));
  const random = randomValues(media.schema, ctx.seed ^ hash(operation.operationId), ctx.maxCases);
  for (const [i, value] of random.entries()) bodies.push({ label: `random #${i + 1}`, value });
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
  const media = jsonBody(operation);
  if (!media) return undefined;
  const start =
    value ??
    (media.examples[0]
      ? withoutReadOnly(media.schema, media.examples[0].value)
      : sampleValue(media.schema, ctx.seed, false));
  return makeUnique(start, operation, media.schema, ctx.stamps);
}

export function positiveCases(ctx: BuildContext, operation: Operation): Draft[] {
  const media = jsonBody(operation);
  const base = baseRequest(ctx, operation);
  const drafts: Draft[] = [];
  for (const body of validBodies(ctx, operation)) {
    const value = makeUnique(body.value, operation, media!.schema, ctx.stamps);
    if (!isValid(ctx, media!.schema, value)) continue;
    drafts.push({
      operation,
      kind: 'positive',
      name: `positive: ${body.label}`,
      request: withBody(base, jsonPayload(operation, value)),
    });
  }
  const bodyFor = (): ReturnType<typeof jsonPayload> | undefined =>
    media ? jsonPayload(operation, validBody(ctx, operation)) : undefined;
  // Path and header parameters name existing resources and tenants (an account id, Customer-Id):
  // a made-up value is not valid data, so only query parameters get boundary variants.
  for (const parameter of operation.parameters.filter((p) => p.in === 'query' && p.required)) {
    for (const variant of variantsOf(
      parameter.schema,
      sampleValue(parameter.schema, ctx.seed),
      'boundaries',
      ctx.seed,
    )) {
      const text = wireText(variant.value);
      if (!isValid(ctx, parameter.schema, fromWire(text, parameter.schema))) continue;
      const request = withBody(base, bodyFor());
      request.query[parameter.name] = text;
      drafts.push({
        operation,
        kind: 'positive',
        name: `positive: query ${parameter.name} ${variant.label.replace(/^\/ /, '')}`,
        request,
      });
    }
  }
  if (drafts.length === 0)
    drafts.push({ operation, kind: 'positive', name: 'positive: valid request', request: withBody(base, bodyFor()) });
  return drafts;
}

/** FNV-1a: a stable number per operation, so each operation's random phase differs under one seed. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
