/**
 * Invalid requests, one violation each: body violations from the generators, an empty body,
 * malformed JSON, a wrong Content-Type, invalid parameters and missing or malformed required
 * headers. A body or parameter is only kept if AJV confirms it is invalid.
 */
import type { JsonSchema } from '../../lib/json-schema.js';
import { type Assumption, inferredOnly } from '../../lib/provenance.js';
import type { Operation } from '../../lib/spec.js';
import { sampleValue, variantsOf } from '../generators/values.js';
import { type BuildContext, isValid, jsonBody } from './context.js';
import type { Draft } from './positive.js';
import { validBody } from './positive.js';
import { baseRequest, fromWire, jsonPayload, wireText, withBody } from './request.js';
import { makeUnique } from './uniqueness.js';

/**
 * The inferred rules a value breaks when it is valid under the vendor's documented rules (its
 * violation is only our assumption), else undefined.
 */
function assumedInvalid(ctx: BuildContext, schema: JsonSchema, value: unknown): Assumption[] | undefined {
  if (!ctx.validators.get(schema, 'documented')(value)) return undefined;
  const validate = ctx.validators.get(schema);
  validate(value);
  return inferredOnly(ctx.spec.source, validate.errors);
}

/** Header values must be visible ASCII to be sent at all; other violations cannot go on the wire. */
const SENDABLE_HEADER = /^[\x20-\x7e]*$/;

export function negativeCases(ctx: BuildContext, operation: Operation): Draft[] {
  const media = jsonBody(operation);
  const base = baseRequest(ctx, operation);
  const drafts: Draft[] = [];
  const valid = media ? validBody(ctx, operation) : undefined;
  const payload = (): ReturnType<typeof jsonPayload> | undefined =>
    media ? jsonPayload(operation, validBody(ctx, operation)) : undefined;

  if (media) {
    const full = sampleValue(media.schema, ctx.seed, true);
    for (const variant of variantsOf(media.schema, full, 'violations', ctx.seed)) {
      const value = makeUnique(variant.value, operation, media.schema, ctx.stamps);
      if (isValid(ctx, media.schema, value)) continue;
      const assumptions = assumedInvalid(ctx, media.schema, value);
      drafts.push({
        operation,
        kind: 'negative',
        name: `negative: ${variant.label}`,
        request: withBody(base, jsonPayload(operation, value)),
        ...(assumptions ? { assumptions } : {}),
      });
    }
    const body = operation.requestBody;
    if (body?.required) {
      const reason = body.inferred?.required;
      drafts.push({
        operation,
        kind: 'negative',
        name: 'negative: empty body',
        request: withBody(base, { kind: 'raw', text: '', contentType: media.mediaType }),
        ...(reason !== undefined ? { assumptions: [{ pointer: body.pointer, keyword: 'required', reason }] } : {}),
      });
    }
    const text = JSON.stringify(valid);
    drafts.push({
      operation,
      kind: 'negative',
      name: 'negative: malformed JSON',
      request: withBody(base, {
        kind: 'raw',
        text: text.slice(0, Math.max(1, text.length - 1)),
        contentType: media.mediaType,
      }),
    });
    drafts.push({
      operation,
      kind: 'negative',
      name: 'negative: wrong Content-Type text/plain',
      request: withBody(base, { kind: 'raw', text, contentType: 'text/plain' }),
    });
  }

  for (const parameter of operation.parameters) {
    if (parameter.in === 'cookie') continue;
    const kind = parameter.in === 'header' ? 'header' : 'negative';
    if (parameter.in !== 'path' && parameter.required) {
      const request = withBody(base, payload());
      if (parameter.in === 'header') {
        delete request.headers[parameter.name];
        request.omitHeaders = [parameter.name];
      } else delete request.query[parameter.name];
      drafts.push({ operation, kind, name: `${kind}: required ${parameter.in} ${parameter.name} missing`, request });
    }
    if (parameter.in !== 'path' && !parameter.required) continue;
    for (const variant of variantsOf(
      parameter.schema,
      sampleValue(parameter.schema, ctx.seed),
      'violations',
      ctx.seed,
    )) {
      const text = wireText(variant.value);
      const read = fromWire(text, parameter.schema);
      if (isValid(ctx, parameter.schema, read)) continue;
      const assumptions = assumedInvalid(ctx, parameter.schema, read);
      if (parameter.in === 'header' && !SENDABLE_HEADER.test(text)) continue;
      if (parameter.in === 'path' && text === '') continue;
      const request = withBody(base, payload());
      if (parameter.in === 'path') request.pathParams[parameter.name] = text;
      else if (parameter.in === 'query') request.query[parameter.name] = text;
      else {
        request.headers[parameter.name] = text;
        request.forceHeaders = [parameter.name];
      }
      drafts.push({
        operation,
        kind,
        name: `${kind}: ${parameter.in} ${parameter.name} ${variant.label.replace(/^\/ /, '')}`,
        request,
        ...(assumptions ? { assumptions } : {}),
      });
    }
  }
  return drafts;
}
