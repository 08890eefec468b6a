/**
 * Everything one spec needs at request time, built once at startup: the model, Prism's engine, the
 * routes, the resource bindings, the store and the rate limiter.
 */
import type { RateLimitExtension } from '../lib/extensions.js';
import { type Spec, serverBasePath } from '../lib/spec.js';
import { PrismEngine } from './prism-engine.js';
import { compileRoutes, prefixOf, type Route } from './router.js';
import { SlidingWindowLimiter } from './state/rate-limit.js';
import { bindResource, type ResourceBinding } from './state/resources.js';
import { Store } from './state/store.js';

/** Replaces the spec's `x-rate-limit` numbers (tests use a small limit); `false` turns limiting off. */
export type RateLimitOverride = { limit?: number; period?: number } | false;

export interface RateLimit {
  rule: RateLimitExtension;
  limiter: SlidingWindowLimiter;
}

export interface MockApi {
  spec: Spec;
  /** First path segment that selects this API, e.g. `easify`. */
  prefix: string;
  /** Path of the spec's first server URL, e.g. `/api/v2` (may be empty). */
  basePath: string;
  engine: PrismEngine;
  routes: Route[];
  bindings: Map<string, ResourceBinding>;
  store: Store;
  rateLimit?: RateLimit;
}

function rateLimitFor(spec: Spec, override: RateLimitOverride | undefined): RateLimit | undefined {
  if (!spec.rateLimit || override === false) return undefined;
  const rule = {
    ...spec.rateLimit,
    ...(override?.limit !== undefined ? { limit: override.limit } : {}),
    ...(override?.period !== undefined ? { period: override.period } : {}),
  };
  return { rule, limiter: new SlidingWindowLimiter(rule.limit, rule.period) };
}

export async function buildApi(spec: Spec, rateLimit: RateLimitOverride | undefined): Promise<MockApi> {
  const bindings = new Map<string, ResourceBinding>();
  for (const operation of spec.operations) {
    const binding = bindResource(spec, operation);
    if (binding) bindings.set(operation.operationId, binding);
  }
  const limit = rateLimitFor(spec, rateLimit);
  return {
    spec,
    prefix: prefixOf(spec.name),
    basePath: serverBasePath(spec),
    engine: await PrismEngine.load(spec),
    routes: compileRoutes(spec.operations),
    bindings,
    store: new Store(),
    ...(limit ? { rateLimit: limit } : {}),
  };
}
