/**
 * Compiles, while a started mock waits for its first requests, the validators its answers use: each
 * operation's parameters, request bodies and responses, and the fields of the records its state
 * keeps. Each is compiled once anyway (lib/validator.ts keeps them), but on the first request that
 * needs it, and in a fresh mock those compiles were a sixth of its time over a run of the four APIs
 * (`npm run check:mock`).
 *
 * One schema per turn of the event loop, so a request that arrives meanwhile waits for one compile at
 * most; what fails to compile is left for the request that needs it to report. A spec reloaded by
 * `--watch` is not warmed: its validators compile as requests need them, as before.
 */
import type { JsonSchema } from '../lib/json-schema.js';
import type { ResourceBinding } from '../lib/resources.js';
import type { Operation } from '../lib/spec.js';
import type { Direction, RuleSet, ValidatorCache } from '../lib/validator.js';
import { recordProperties } from './state/resources.js';

/** The fields state validates one by one (mocks/state/resources.ts). */
const fieldsOf = (schema: JsonSchema): JsonSchema[] => Object.values(recordProperties(schema) ?? {});

/** The schemas the mock validates for this operation, in the order a request meets them, each with its direction. */
export function schemasOf(operation: Operation, binding?: ResourceBinding): [JsonSchema, Direction][] {
  const any = (schema: JsonSchema): [JsonSchema, Direction] => [schema, 'any'];
  const schemas = operation.parameters.map((p) => any(p.schema));
  const bodies = [
    ...(operation.requestBody?.content ?? []).map((media) => [media, 'request'] as const),
    ...operation.responses.flatMap((response) => response.content.map((media) => [media, 'response'] as const)),
  ];
  for (const [media, direction] of bodies) {
    if (!media.schema) continue;
    schemas.push([media.schema, direction], ...fieldsOf(media.schema).map(any));
  }
  // State keeps a record's fields one by one, and checks a new id (mocks/state/resources.ts).
  for (const record of [binding?.recordSchema, binding?.itemSchema])
    if (record) schemas.push(...fieldsOf(record).map(any));
  if (binding?.idSchema) schemas.push(any(binding.idSchema));
  return schemas;
}

export interface Warming {
  /** Resolves once every schema was compiled or the warming was stopped. */
  done: Promise<void>;
  stop(): void;
}

/** What one API serves: its operations, and the state bound to them by operationId. */
export interface WarmApi {
  spec: { operations: readonly Operation[] };
  bindings: ReadonlyMap<string, ResourceBinding>;
}

export function warmValidators(apis: Iterable<WarmApi>, validators: ValidatorCache, rules: RuleSet): Warming {
  const queue = [...apis].flatMap((api) =>
    api.spec.operations.flatMap((operation) => schemasOf(operation, api.bindings.get(operation.operationId))),
  );
  let next = 0;
  let stopped = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const step = (): void => {
    if (stopped || next >= queue.length) {
      finish();
      return;
    }
    try {
      const [schema, direction] = queue[next++]!;
      validators.get(schema, rules, direction);
    } catch {
      // The request that needs it reports it.
    }
    setImmediate(step);
  };
  setImmediate(step);
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
