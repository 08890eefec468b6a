/**
 * Sends a plan: each operation's cases concurrently (link sources first, so their ids can feed the
 * next operations), then the stateful scenarios (steps in order, scenarios concurrently), then the
 * rate-limit burst alone and unpaced. Results come back in plan order whatever the timing.
 */
import type { Spec } from '../lib/spec.js';
import type { ValidatorCache } from '../lib/validator.js';
import type { Plan } from './cases/plan.js';
import { type Evidence, evaluate } from './checks/evaluate.js';
import type { CheckDefinition } from './checks/registry.js';
import { isSuccess } from './checks/support.js';
import type { HttpClient } from './http/client.js';
import type { Pacer } from './http/pacer.js';
import { evaluateExpression } from './runtime-expression.js';
import type { CaseResult, Exchange, LinkedValue, ReceivedResponse, Scenario, SentRequest, TestCase } from './types.js';

export interface ExecuteOptions {
  spec: Spec;
  validators: ValidatorCache;
  checks: readonly CheckDefinition[];
  baseUrl: string;
  userHeaders: [string, string][];
  client: HttpClient;
  pacer?: Pacer;
  concurrency: number;
  onResult: (result: CaseResult) => void;
}

type Resolve = (linked: LinkedValue) => string | undefined;

/** --header pairs with their wire (lower-case) names, computed once per run rather than per case. */
export type WireHeaders = readonly (readonly [key: string, value: string])[];

export function wireHeaders(userHeaders: [string, string][]): WireHeaders {
  return userHeaders.map(([name, value]) => [name.toLowerCase(), value] as const);
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}

/** A header the case omits, or a Content-Type its body sets. */
const dropped = (key: string, hasBody: boolean, omitted: string[] | undefined): boolean =>
  (hasBody && key === 'content-type') || omitted?.includes(key) === true;

/** The wire request of a case, or why it cannot be sent. */
export function buildRequest(
  testCase: TestCase,
  baseUrl: string,
  userHeaders: WireHeaders,
  resolve: Resolve,
): SentRequest | { notSent: string } {
  const { request, operation } = testCase;
  let path = operation.path;
  for (const name in request.pathParams) {
    const value = request.pathParams[name]!;
    const text = typeof value === 'string' ? value : resolve(value);
    if (text === undefined) {
      const source = (value as LinkedValue).sourceOperationId;
      return { notSent: `no record created by ${source} to take ${name} from` };
    }
    path = path.replace(`{${name}}`, encodeURIComponent(text));
  }
  const query = hasKeys(request.query) ? `?${new URLSearchParams(request.query).toString()}` : '';
  // Names are lower-cased on the wire so that given, generated and omitted headers meet
  // case-insensitively. Omitted names, and a Content-Type the body replaces, are skipped rather
  // than deleted afterwards (a delete turns the object into a slow dictionary for undici to walk);
  // the key order is the one "set, override, delete, append Content-Type" gives.
  const omitted = request.omitHeaders.length > 0 ? request.omitHeaders.map((n) => n.toLowerCase()) : undefined;
  const body = request.body;
  const headers: Record<string, string> = {};
  for (const name in request.headers) {
    const key = name.toLowerCase();
    if (!dropped(key, body !== undefined, omitted)) headers[key] = request.headers[name]!;
  }
  const forced = request.forceHeaders.length > 0 ? request.forceHeaders.map((n) => n.toLowerCase()) : undefined;
  for (const [key, value] of userHeaders) {
    if (!forced?.includes(key) && !dropped(key, body !== undefined, omitted)) headers[key] = value;
  }
  if (body?.contentType) headers['content-type'] = body.contentType;
  const sent: SentRequest = { method: operation.method.toUpperCase(), url: `${baseUrl}${path}${query}`, headers };
  if (body) sent.body = body.kind === 'json' ? JSON.stringify(body.value) : body.text;
  return sent;
}

async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Ids created by the link sources' positive cases, in plan order (not completion order), handed out
 * round-robin to the cases of the operations they feed: same seed, same ids for the same server.
 */
class IdPool {
  private readonly ids = new Map<string, unknown[]>();
  private readonly taken = new Map<string, number>();

  static key(linked: LinkedValue): string {
    return `${linked.sourceOperationId} ${linked.expression}`;
  }

  fill(linked: LinkedValue, responses: ReceivedResponse[]): void {
    const ids = responses
      .map((r) => evaluateExpression(linked.expression, r))
      .filter((id) => id !== undefined && id !== null);
    this.ids.set(IdPool.key(linked), ids);
  }

  take(linked: LinkedValue): string | undefined {
    const key = IdPool.key(linked);
    const ids = this.ids.get(key) ?? [];
    if (ids.length === 0) return undefined;
    const index = this.taken.get(key) ?? 0;
    this.taken.set(key, index + 1);
    return String(ids[index % ids.length]);
  }
}

/**
 * Requests sent per credential within the spec's x-rate-limit period (a sliding window), so that a
 * throttled answer can be told apart: legitimate past the documented limit, a fault before it.
 * The window is kept a tenth of the period (at most 1 s) longer than documented, so that the
 * server seeing a request a little later than it was sent never counts against it.
 */
class SendWindow {
  private readonly sends = new Map<string, number[]>();
  private readonly spanMs: number;
  private readonly headerNames: string[];
  private readonly queryNames: string[];

  constructor(
    private readonly limit: NonNullable<Spec['rateLimit']>,
    spec: Spec,
  ) {
    this.spanMs = limit.period * 1000 + Math.min(1000, limit.period * 100);
    const headers = new Set<string>();
    const query = new Set<string>();
    for (const scheme of spec.operations.flatMap((op) => op.security.flat())) {
      if (scheme.kind === 'bearer' || scheme.kind === 'basic' || scheme.kind === 'other') headers.add('authorization');
      else if (scheme.kind === 'apiKey' && scheme.parameterName) {
        if (scheme.in === 'query') query.add(scheme.parameterName);
        else if (scheme.in === 'cookie') headers.add('cookie');
        else headers.add(scheme.parameterName.toLowerCase());
      }
    }
    if (headers.size === 0 && query.size === 0) headers.add('authorization');
    this.headerNames = [...headers];
    this.queryNames = [...query];
  }

  private key(request: SentRequest): string {
    if (this.limit.scope === 'global') return '';
    const parts = this.headerNames.map((name) => request.headers[name] ?? '');
    if (this.queryNames.length > 0) {
      const params = new URL(request.url).searchParams;
      for (const name of this.queryNames) parts.push(params.get(name) ?? '');
    }
    return parts.join('\u0000');
  }

  /** Records a send; returns how many were sent on its credential within the window, this one included. */
  record(request: SentRequest): number {
    const key = this.key(request);
    const now = performance.now();
    let times = this.sends.get(key);
    if (!times) this.sends.set(key, (times = []));
    let stale = 0;
    while (stale < times.length && now - times[stale]! > this.spanMs) stale++;
    if (stale > 0) times.splice(0, stale);
    times.push(now);
    return times.length;
  }
}

/** The record id a merge step must return: the one the scenario's earlier step created. */
function storedId(
  step: TestCase,
  target: ReceivedResponse | undefined,
): Omit<Evidence, 'usesCreatedId' | 'sentInWindow'> {
  const resource = step.operation.resource;
  if (!target?.json || !resource?.id) return {};
  const record = evaluateExpression(`$response.body#${resource.record}`, target);
  const id = record && typeof record === 'object' ? (record as Record<string, unknown>)[resource.id] : undefined;
  return id === undefined ? {} : { mergeTargetId: id };
}

export async function execute(plan: Plan, options: ExecuteOptions): Promise<CaseResult[]> {
  // By seq: plan order whatever the completion order, with no sort at the end.
  const results: CaseResult[] = [];
  const pool = new IdPool();
  const userHeaders = wireHeaders(options.userHeaders);
  const window = options.spec.rateLimit ? new SendWindow(options.spec.rateLimit, options.spec) : undefined;
  const placeholder = (testCase: TestCase): SentRequest =>
    buildRequest(testCase, options.baseUrl, userHeaders, () => '{unavailable}') as SentRequest;

  const record = (exchange: Exchange, evidence: Evidence): void => {
    const result: CaseResult = {
      exchange,
      checks: evaluate(options.spec, options.validators, options.checks, exchange, evidence),
    };
    results[exchange.testCase.seq] = result;
    options.onResult(result);
  };

  const send = async (
    testCase: TestCase,
    resolve: Resolve,
    paced: boolean,
    evidence?: () => Omit<Evidence, 'usesCreatedId' | 'sentInWindow'>,
  ): Promise<Exchange> => {
    let usesCreatedId = false;
    const built = buildRequest(testCase, options.baseUrl, userHeaders, (linked) => {
      const value = resolve(linked);
      if (value !== undefined) usesCreatedId = true;
      return value;
    });
    let exchange: Exchange;
    let sentInWindow = 0;
    if ('notSent' in built) exchange = { testCase, request: placeholder(testCase), notSent: built.notSent };
    else {
      // No await at all when nothing paces: each one costs a trip through the microtask queue.
      if (paced && options.pacer) await options.pacer.wait();
      if (window) sentInWindow = window.record(built);
      const sent = await options.client.send(built);
      exchange =
        'response' in sent
          ? { testCase, request: built, response: sent.response }
          : { testCase, request: built, error: sent.error };
      const limit = options.spec.rateLimit;
      if (
        limit &&
        exchange.response &&
        !testCase.expectThrottle &&
        String(exchange.response.status) === limit.status &&
        sentInWindow > limit.limit
      )
        exchange.throttled = true;
    }
    record(exchange, evidence ? { usesCreatedId, sentInWindow, ...evidence() } : { usesCreatedId, sentInWindow });
    return exchange;
  };

  const fromPool: Resolve = (linked) => pool.take(linked);
  const fed = new Map<string, LinkedValue>();
  for (const testCase of plan.phases.flatMap((p) => p.cases)) {
    for (const value of Object.values(testCase.request.pathParams))
      if (typeof value !== 'string') fed.set(IdPool.key(value), value);
  }

  for (const phase of plan.phases) {
    await inParallel(phase.cases, options.concurrency, (testCase) => send(testCase, fromPool, true));
    const created = phase.cases
      .filter((c) => c.kind === 'positive')
      .map((c) => results[c.seq]?.exchange.response)
      .filter((r): r is ReceivedResponse => !!r && isSuccess(r.status));
    for (const linked of fed.values())
      if (linked.sourceOperationId === phase.operation.operationId) pool.fill(linked, created);
  }

  /** Steps in order; after a failed step the later ones are not sent (their checks are skipped). */
  const runScenario = async (scenario: Scenario, paced: boolean, stopOnFailure: boolean): Promise<void> => {
    const responses: (ReceivedResponse | undefined)[] = [];
    let blocked: string | undefined;
    for (const [index, step] of scenario.steps.entries()) {
      if (blocked) {
        record({ testCase: step, request: placeholder(step), notSent: blocked }, { usesCreatedId: false });
        responses.push(undefined);
        continue;
      }
      const resolve: Resolve = (linked) => {
        if (linked.step === undefined) return fromPool(linked);
        const source = responses[linked.step];
        const value = source ? evaluateExpression(linked.expression, source) : undefined;
        return value === undefined || value === null ? undefined : String(value);
      };
      const mergedInto = step.stateful?.rule === 'merged' ? step.stateful.intoStep : undefined;
      const exchange = await send(step, resolve, paced, () =>
        mergedInto === undefined ? {} : storedId(step, responses[mergedInto]),
      );
      responses.push(exchange.response);
      const ok = !!exchange.response && isSuccess(exchange.response.status);
      if (stopOnFailure && !ok && index < scenario.steps.length - 1)
        blocked = `step ${index + 1} of "${scenario.name}" did not succeed`;
    }
  };

  await inParallel(plan.scenarios, options.concurrency, (scenario) => runScenario(scenario, true, true));
  if (plan.burst) await runScenario(plan.burst, false, false);
  return results.filter((r) => r !== undefined);
}
