/**
 * Scenarios read from `links` and `x-resource`: create then update the created id, update an id
 * never created, the same unique value twice, a merge into one stored record and a create whose
 * merge keys match two records.
 */

import { sampleValue } from '../../lib/generators/values.js';
import { expectedNotFound, resourceModel } from '../../lib/resources.js';
import { flatten } from '../../lib/schema.js';
import type { Operation } from '../../lib/spec.js';
import type { LinkedValue } from '../types.js';
import { type BuildContext, bodyMedia, isValid } from './context.js';
import { type Draft, validBody } from './positive.js';
import { baseRequest, payload, withBody } from './request.js';
import { comparedFields } from './uniqueness.js';

export interface ScenarioDraft {
  name: string;
  steps: Draft[];
}

type Json = Record<string, unknown>;

function create(ctx: BuildContext, operation: Operation, name: string, value?: unknown): Draft {
  const body = value === undefined ? validBody(ctx, operation) : value;
  return {
    operation,
    kind: 'positive',
    name,
    request: withBody(baseRequest(ctx, operation), body === undefined ? undefined : payload(operation, body)),
  };
}

/** An id that is valid for the parameter but that no create of this run returned. */
function madeUpId(ctx: BuildContext, target: Operation, param: string): string | undefined {
  const parameter = target.parameters.find((p) => (p.in === 'path' || p.in === 'query') && p.name === param);
  if (!parameter) return undefined;
  const flat = flatten(parameter.schema);
  if (flat.type === 'integer' || flat.type === 'number') {
    const far = 999_000_000 + ctx.stamps.take().index;
    if (isValid(ctx, parameter.schema, far)) return String(far);
    // A bounded id (1 to 10): the top of its range, the one a create is least likely to have returned.
    const top = flat.maximum ?? (typeof flat.exclusiveMaximum === 'number' ? flat.exclusiveMaximum - 1 : undefined);
    return top !== undefined && isValid(ctx, parameter.schema, top) ? String(top) : undefined;
  }
  const unique = ctx.stamps.uniqueValue(
    `path ${param}`,
    parameter.schema,
    String(sampleValue(parameter.schema, ctx.seed)),
    ctx.stamps.take(),
  );
  return typeof unique === 'string' ? unique : undefined;
}

const SAFE_METHODS = new Set(['get', 'head', 'options']);

/** The request of `operation` for an id no create returned, judged on the documented not-found answer. */
function unknownIdStep(ctx: BuildContext, operation: Operation, param: string, unknown: string): Draft | undefined {
  const notFound = expectedNotFound(operation, resourceModel(ctx.spec).get(operation.operationId), param);
  if (notFound === undefined) return undefined;
  const request = withBody(
    baseRequest(ctx, operation),
    bodyMedia(operation) ? payload(operation, validBody(ctx, operation)) : undefined,
  );
  if (operation.parameters.find((p) => p.name === param)?.in === 'query') request.query[param] = { text: unknown };
  else request.pathParams[param] = { text: unknown };
  return {
    operation,
    kind: 'stateful',
    name: `stateful: ${operation.operationId} an id never created (${unknown})`,
    request,
    stateful: { rule: 'unknown-id', status: notFound, id: unknown },
  };
}

/**
 * The read of the record `target` acts on, taking its id by the same parameter: its collection's
 * read, or for an action under a record's path (`POST /things/{id}/archive`), which belongs to no
 * collection, the read of that record's own path (`GET /things/{id}`).
 */
function readOf(ctx: BuildContext, target: Operation, param: string): Operation | undefined {
  const model = resourceModel(ctx.spec);
  const takes = (operation: Operation) => operation.parameters.some((p) => p.name === param && p.in === 'path');
  const isRead = (operation: Operation) => model.get(operation.operationId)?.resource.action === 'read';
  const collection = model.get(target.operationId)?.resource.collection;
  if (collection !== undefined)
    return ctx.spec.operations.find(
      (operation) =>
        isRead(operation) && model.get(operation.operationId)?.resource.collection === collection && takes(operation),
    );
  // The record's path: the target's own up to the segment that names it by `param`, with more after it.
  const segments = target.path.split('/');
  const at = segments.indexOf(`{${param}}`);
  if (at < 0 || at === segments.length - 1) return undefined;
  const itemPath = segments.slice(0, at + 1).join('/');
  return ctx.spec.operations.find(
    (operation) => operation.path === itemPath && operation.method.toLowerCase() === 'get' && isRead(operation),
  );
}

/** Why a change to a made-up id is held on a target holding others' records: no read can show it names nothing. */
function unguardedReason(target: Operation, param: string, unknown: string): string {
  const verb = target.method.toUpperCase();
  return `${verb} names an id no create returned by ${param} (${unknown}), and no read of the same id documents its not found to ask first: not sent to a target holding others' records`;
}

/** Scenarios whose checked request goes to `target`, fed by the operations that link to it. */
export function linkScenarios(ctx: BuildContext, target: Operation): ScenarioDraft[] {
  const scenarios: ScenarioDraft[] = [];
  const links = ctx.links.get(target.operationId) ?? new Map<string, LinkedValue>();
  for (const [param, link] of links) {
    // A new parent holds none of the records the target's other links name: only a create under it is asked.
    if (link.parent && links.size > 1) continue;
    const source = ctx.spec.operations.find((op) => op.operationId === link.sourceOperationId);
    if (!source) continue;
    const update = withBody(
      baseRequest(ctx, target),
      bodyMedia(target) ? payload(target, validBody(ctx, target)) : undefined,
    );
    const location = target.parameters.find((p) => p.name === param)?.in;
    if (location === 'query') update.query[param] = { ...link, step: 0 };
    else update.pathParams[param] = { ...link, step: 0 };
    scenarios.push({
      name: `create with ${source.operationId}, then ${target.operationId} the created id`,
      steps: [
        create(ctx, source, `stateful: ${source.operationId} a record for ${target.operationId}`),
        {
          operation: target,
          kind: 'positive',
          name: `stateful: ${target.operationId} the id created by ${source.operationId}`,
          request: update,
        },
      ],
    });
    const unknown = madeUpId(ctx, target, param);
    const step = unknown === undefined ? undefined : unknownIdStep(ctx, target, param, unknown);
    if (!step || unknown === undefined) continue;
    // On a target holding others' records a made-up id may be one of them: a change to it goes out
    // only once a read said not found.
    const changes = ctx.othersRecords && !SAFE_METHODS.has(target.method.toLowerCase());
    const read = changes ? readOf(ctx, target, param) : undefined;
    const guard = read ? unknownIdStep(ctx, read, param, unknown) : undefined;
    // Without a read to ask first the change is held, but listed as not sent with its reason.
    if (changes && !guard) step.request.othersRecord = unguardedReason(target, param, unknown);
    scenarios.push({ name: `${target.operationId} an id never created`, steps: guard ? [guard, step] : [step] });
  }
  return scenarios;
}

/** Duplicate, merge and conflict scenarios of a create operation. */
export function resourceScenarios(ctx: BuildContext, operation: Operation): ScenarioDraft[] {
  const media = bodyMedia(operation);
  const resource = operation.resource;
  if (!media || resource?.action !== 'create') return [];
  const scenarios: ScenarioDraft[] = [];
  const { unique, mergeOn } = comparedFields(operation, media.schema);

  if (resource.unique && unique.length > 0) {
    const first = validBody(ctx, operation) as Json;
    const again = { ...(validBody(ctx, operation) as Json) };
    for (const [name] of unique) if (name in first) again[name] = first[name];
    if (isValid(ctx, media.schema, again)) {
      const { status, example } = resource.unique;
      scenarios.push({
        name: `${operation.operationId} the same ${unique.map(([n]) => n).join(', ')} twice`,
        steps: [
          create(ctx, operation, `stateful: ${operation.operationId} a record`, first),
          {
            ...create(
              ctx,
              operation,
              `stateful: ${operation.operationId} a duplicate ${unique.map(([n]) => n).join(', ')}`,
              again,
            ),
            kind: 'stateful',
            stateful: { rule: 'duplicate', status, example },
          },
        ],
      });
    }
  }

  if (resource.merge && mergeOn) {
    const [on, onSchema] = mergeOn;
    const keys: [string, unknown][] = [];
    for (const [key, keySchema] of Object.entries(flatten(onSchema).properties ?? {})) {
      const value = ctx.stamps.uniqueValue(
        `${on}.${key}`,
        keySchema,
        sampleValue(keySchema, ctx.seed),
        ctx.stamps.take(),
      );
      if (value !== undefined) keys.push([key, value]);
      if (keys.length === 2) break;
    }
    const bodyWith = (addresses: Json): Json | undefined => {
      const body = { ...(validBody(ctx, operation) as Json), [on]: addresses };
      return isValid(ctx, media.schema, body) ? body : undefined;
    };
    const [k1, k2] = keys;
    const { merged, conflict } = resource.merge;
    if (k1) {
      const stored = bodyWith({ [k1[0]]: k1[1] });
      const incoming = bodyWith({ [k1[0]]: k1[1] });
      if (stored && incoming) {
        scenarios.push({
          name: `${operation.operationId} merges into the one record with the same ${on}.${k1[0]}`,
          steps: [
            create(ctx, operation, `stateful: ${operation.operationId} a record with ${on}.${k1[0]}`, stored),
            {
              ...create(
                ctx,
                operation,
                `stateful: ${operation.operationId} the same ${on}.${k1[0]} again (merge)`,
                incoming,
              ),
              kind: 'stateful',
              stateful: { rule: 'merged', status: merged.status, example: merged.example, intoStep: 0 },
            },
          ],
        });
      }
    }
    if (k1 && k2) {
      const a = ctx.stamps.uniqueValue(
        `${on}.${k1[0]}`,
        flatten(onSchema).properties![k1[0]]!,
        k1[1],
        ctx.stamps.take(),
      );
      const b = ctx.stamps.uniqueValue(
        `${on}.${k2[0]}`,
        flatten(onSchema).properties![k2[0]]!,
        k2[1],
        ctx.stamps.take(),
      );
      const first = bodyWith({ [k1[0]]: a });
      const second = bodyWith({ [k2[0]]: b });
      const both = bodyWith({ [k1[0]]: a, [k2[0]]: b });
      if (a !== undefined && b !== undefined && first && second && both) {
        scenarios.push({
          name: `${operation.operationId} with ${on} matching two records`,
          steps: [
            create(ctx, operation, `stateful: ${operation.operationId} a record with ${on}.${k1[0]}`, first),
            create(ctx, operation, `stateful: ${operation.operationId} a record with ${on}.${k2[0]}`, second),
            {
              ...create(
                ctx,
                operation,
                `stateful: ${operation.operationId} ${on} matching both records (conflict)`,
                both,
              ),
              kind: 'stateful',
              stateful: { rule: 'conflict', status: conflict.status, example: conflict.example },
            },
          ],
        });
      }
    }
  }
  return scenarios;
}
