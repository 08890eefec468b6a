/** What every case generator reads: the spec, the compiled validators, the seed and the run's stamps. */

import type { JsonSchema } from '../../lib/json-schema.js';
import { linkedParameters } from '../../lib/links.js';
import { isJsonMediaType } from '../../lib/media-type.js';
import type { MediaType, Operation, Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { LinkedValue } from '../types.js';
import { Stamps } from './uniqueness.js';

export interface BuildContext {
  spec: Spec;
  validators: ValidatorCache;
  seed: number;
  /** Size of the random phase per operation. */
  maxCases: number;
  stamps: Stamps;
  /** Marks the credentials this run generates (see conformance/throttle.ts). */
  nonce: string;
  /** Path parameters that links fill: target operationId -> parameter -> where the value comes from. */
  links: Map<string, Map<string, LinkedValue>>;
}

export function createContext(
  spec: Spec,
  validators: ValidatorCache,
  seed: number,
  maxCases: number,
  nonce: string,
): BuildContext {
  const links = new Map<string, Map<string, LinkedValue>>();
  for (const [target, parameters] of linkedParameters(spec)) {
    // A parameter filled by several links takes the last one, in document order.
    links.set(
      target,
      new Map(
        parameters.map((p) => [p.parameter, { sourceOperationId: p.sourceOperationId, expression: p.expression }]),
      ),
    );
  }
  return { spec, validators, seed, maxCases, stamps: new Stamps(seed, validators), nonce, links };
}

/** The JSON request body the cases use, if the operation takes one. */
export function jsonBody(operation: Operation): (MediaType & { schema: JsonSchema }) | undefined {
  const media = operation.requestBody?.content.find((m) => isJsonMediaType(m.mediaType) && m.schema);
  return media?.schema ? { ...media, schema: media.schema } : undefined;
}

export function isValid(ctx: BuildContext, schema: JsonSchema, value: unknown): boolean {
  return ctx.validators.get(schema)(value);
}
