/**
 * Everything one spec needs at request time, built once at startup: the model, Prism's engine, the
 * routes, the resource bindings, the store and the rate limiter.
 */
import type { Rate, RateLimitExtension } from '../lib/extensions.js';
import { type Spec, serverBasePath } from '../lib/spec.js';
import { PrismEngine } from './prism-engine.js';
import { compileRoutes, prefixOf, type Route } from './router.js';
import { bindResources, type ResourceBinding } from './state/bindings.js';
import { type Clock, SlidingWindowLimiter } from './state/rate-limit.js';
import { Store } from './state/store.js';

/** Replaces the spec's `x-rate-limit` numbers (tests use a small limit); `false` turns limiting off. */
export type RateLimitOverride = Partial<Rate> | false;

/** The spec's limit as served (override applied) and the window that enforces it. */
export interface RateLimiting {
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
  bindings: ReadonlyMap<string, ResourceBinding>;
  store: Store;
  rateLimit?: RateLimiting;
}

/** A Host header fit to put in a URL: a name, an IPv4 or a bracketed IPv6 address, and a port. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;

/** The mock's URL for an API, as the client that asked reaches the mock; relative without a usable Host. */
export function apiUrl(api: MockApi, host: string | undefined): string {
  const path = `/${api.prefix}${api.basePath}`;
  return host !== undefined && HOST.test(host) ? `http://${host}${path}` : path;
}

function rateLimitFor(
  spec: Spec,
  override: RateLimitOverride | undefined,
  clock: Clock | undefined,
): RateLimiting | undefined {
  if (!spec.rateLimit || override === false) return undefined;
  const rule = {
    ...spec.rateLimit,
    ...(override?.limit !== undefined ? { limit: override.limit } : {}),
    ...(override?.period !== undefined ? { period: override.period } : {}),
  };
  return { rule, limiter: new SlidingWindowLimiter(rule.limit, rule.period, clock) };
}

export interface BuildOptions {
  rateLimit?: RateLimitOverride;
  /** The rate limiter's clock (milliseconds); tests inject one. */
  clock?: Clock;
}

export async function buildApi(spec: Spec, options: BuildOptions = {}): Promise<MockApi> {
  const store = new Store();
  const bindings = bindResources(spec, store);
  const limit = rateLimitFor(spec, options.rateLimit, options.clock);
  return {
    spec,
    prefix: prefixOf(spec.name),
    basePath: serverBasePath(spec),
    engine: await PrismEngine.load(spec),
    routes: compileRoutes(spec.operations),
    bindings,
    store,
    ...(limit ? { rateLimit: limit } : {}),
  };
}
