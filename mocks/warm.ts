/**
 * Compiles, while a started mock waits for its first requests, the validators its answers use: each
 * operation's parameters, request bodies, responses and their records' fields. Each is compiled once
 * anyway (lib/validator.ts keeps them), but on the first request that needs it, and in a fresh mock
 * those compiles were a sixth of its time over a run of the four APIs (`npm run check:mock`).
 *
 * One schema per turn of the event loop, so a request that arrives meanwhile waits for one compile at
 * most; what fails to compile is left for the request that needs it to report.
 */
import type { JsonSchema } from '../lib/json-schema.js';
import { flatten } from '../lib/schema.js';
import type { Operation } from '../lib/spec.js';
import type { RuleSet, ValidatorCache } from '../lib/validator.js';

/** The schemas the mock validates for this operation, in the order a request meets them. */
export function schemasOf(operation: Operation): JsonSchema[] {
  const schemas: JsonSchema[] = operation.parameters.map((p) => p.schema);
  const bodies = [
    ...(operation.requestBody?.content ?? []),
    ...operation.responses.flatMap((response) => response.content),
  ];
  for (const media of bodies) {
    if (!media.schema) continue;
    schemas.push(media.schema);
    // State keeps a record's fields one by one (mocks/state/resources.ts).
    schemas.push(...Object.values(flatten(media.schema).properties ?? {}));
  }
  return schemas;
}

export interface Warming {
  /** Resolves once every schema was compiled or the warming was stopped. */
  done: Promise<void>;
  stop(): void;
}

export function warmValidators(operations: readonly Operation[], validators: ValidatorCache, rules: RuleSet): Warming {
  const queue = operations.flatMap(schemasOf);
  let stopped = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const next = (): void => {
    const schema = queue.shift();
    if (stopped || schema === undefined) {
      finish();
      return;
    }
    try {
      validators.get(schema, rules);
    } catch {
      // The request that needs it reports it.
    }
    setImmediate(next);
  };
  setImmediate(next);
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
