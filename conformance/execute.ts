/**
 * Sends a plan and emits one exchange per case: each operation's cases concurrently (link sources
 * first, so their ids can feed the next operations), then the stateful scenarios (steps in order,
 * scenarios concurrently), then the rate-limit burst alone and unpaced. It judges nothing: what it
 * records (created ids used, the record a merge should hit, what may have reached the server before
 * a throttled answer) is evidence for the checks.
 */
import { decodeMultipart } from '../lib/form.js';
import { appendPointer, getPointer } from '../lib/json-pointer.js';
import { answersExisting, resourceModel } from '../lib/resources.js';
import { answersGone, isSuccess } from '../lib/responses.js';
import { credentialHeaders, credentialNames } from '../lib/security.js';
import type { Spec } from '../lib/spec.js';
import { objectProperties } from '../lib/wire.js';
import { bodyMedia } from './cases/context.js';
import { makesRecords } from './cases/others-records.js';
import type { Plan } from './cases/plan.js';
import { textLeaves } from './cases/uniqueness.js';
import {
  buildRequest,
  type Fits,
  type GivenCredentials,
  NO_CREDENTIALS,
  type Resolve,
  wireHeaders,
} from './cases/wire.js';
import { type Clock, systemClock } from './clock.js';
import { INTERRUPTED_CLEANUP_MS } from './defaults.js';
import type { HttpClient, SendResult } from './http/client.js';
import { Pacer } from './http/pacer.js';
import { type ExpressionSource, evaluateExpression } from './runtime-expression.js';
import { provablyPremature } from './throttle.js';
import type {
  Exchange,
  LinkedValue,
  ReceivedResponse,
  Scenario,
  SentRequest,
  TestCase,
  ThrottleEvidence,
} from './types.js';

export interface ExecuteOptions {
  spec: Spec;
  baseUrl: string;
  userHeaders: readonly (readonly [string, string])[];
  /** The values given for the spec's query and cookie API keys: sent where a case carries the run's own. */
  credentials?: GivenCredentials;
  client: HttpClient;
  /** Paces the run and holds it while the server asks it to wait; default: no pace, Retry-After honoured. */
  pacer?: Pacer;
  concurrency: number;
  /** Marks the credentials this run made itself: a throttle on one of them can be proven premature. */
  runNonce: string;
  /** Longest total wait spent retrying throttled answers after their Retry-After. */
  throttleWaitMs: number;
  clock?: Clock;
  /** Delete every record the run created, through the spec's delete operations, once it is done. */
  cleanup: boolean;
  /**
   * Leave alone a record a create found already there (its 200 beside a documented 201): no case
   * takes it. On a target holding others' records, and on a run that leaves nothing of its own
   * behind; elsewhere (a stateless server answering every create so) the run follows it as before.
   */
  keepFound: boolean;
  onExchange: (exchange: Exchange) => void;
  /**
   * Aborted when the run must stop (Ctrl-C): no planned case is sent after it, requests in flight
   * are answered, and the cleanup deletes what the run made within INTERRUPTED_CLEANUP_MS. Its
   * reason (a signal's name) is given as why the rest was not sent.
   */
  signal?: AbortSignal;
  /**
   * Whether an id taken from an answer is valid for the parameter it fills; one that is not makes
   * the case unsendable (the document's create and the operation disagree), not a refused request.
   */
  fits?: Fits;
}

/** A record the run created and did not delete: the create that made it, its id, and why it stayed. */
export interface Leftover {
  operationId: string;
  /** null when the run never learnt it: a create whose answer did not come in time. */
  id: unknown;
  reason: string;
  /** For a record whose id is unknown: the unique values (`x-resource.unique`) it was sent with, to find it by. */
  sentWith?: Record<string, unknown>;
}

export const UNANSWERED_CREATE = 'no answer within the timeout: may have been created';
export const SENT_WITHOUT_KEY = 'created: it was sent without the key its record is named by, so it was not deleted';
export const ANSWERED_WITHOUT_ID = 'created: its answer gave no id where the spec says it goes, so it was not deleted';
/** Why the cleanup leaves a record, and a live run's forecast says it will: the document has no delete for it. */
export const NO_DELETE = 'the spec documents no delete for these records';
export const UNIDENTIFIED_CREATE =
  'created: the spec does not say where its answer gives the new id, so it was not deleted';

export interface Execution {
  exchanges: Exchange[];
  /** Records deleted by the cleanup (or found already gone), and those left behind. */
  cleaned: number;
  leftovers: Leftover[];
}

async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

interface CreatedRecord {
  plan: Plan['cleanup'][number];
  operationId: string;
  id: unknown;
  /** The values of the create's parent path parameters, in path order (`/contacts/{contactId}/notes`). */
  parents: string[];
}

/** What a link's expressions read of an answered exchange. */
function sourceOf(exchange: Exchange, baseUrl: string): ExpressionSource | undefined {
  const { request, response, testCase } = exchange;
  return response ? { request, response, template: testCase.operation.path, baseUrl } : undefined;
}

/** The values a URL the run sent gives the named whole-segment parameters of its path template. */
function parentValues(source: ExpressionSource, names: readonly string[] | undefined): string[] {
  return (names ?? []).map((name) => String(evaluateExpression(`$request.path.${name}`, source) ?? ''));
}

/** A sent body's fields as a server reads them: JSON and urlencoded by the expression reader, multipart by lib/form. */
async function sentField(source: ExpressionSource, pointer: string): Promise<unknown> {
  const { body, headers } = source.request;
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (typeof body === 'string' || !/^multipart\/form-data\s*;/i.test(type))
    return evaluateExpression(`$request.body#${pointer}`, source);
  if (body === undefined) return undefined;
  const decoded = await decodeMultipart(Buffer.from(body), type, {});
  return decoded.ok ? getPointer(decoded.value, pointer) : undefined;
}

/**
 * The records of the run an accepted update sent another value of the key the client names them by
 * (`address` of `PUT /lists/{list_address}`, which renames the list), by collection and id: each is
 * no longer found under the id the run knows, so a not-found answer to its delete says nothing of
 * whether it is gone. Only a key the collection's create sends counts: an id the server assigns is
 * not the client's to change.
 */
async function renamedRecords(
  exchanges: readonly Exchange[],
  plan: Plan,
  spec: Spec,
  baseUrl: string,
): Promise<Map<string, string>> {
  const model = resourceModel(spec);
  const keys = new Map<string, string>();
  for (const cleanupPlan of plan.cleanup)
    for (const create of cleanupPlan.creates) {
      const binding = model.get(create.operationId);
      const key = binding?.keyField ?? binding?.idField;
      const sent = binding?.requestSchema;
      const property = key === undefined || !sent ? undefined : objectProperties(sent)?.[key];
      if (key !== undefined && property && property.readOnly !== true) keys.set(cleanupPlan.collection, key);
    }
  const renamed = new Map<string, string>();
  if (keys.size === 0) return renamed;
  for (const exchange of exchanges) {
    const binding = model.get(exchange.testCase.operation.operationId);
    const key = binding && keys.get(binding.resource.collection);
    const source = sourceOf(exchange, baseUrl);
    if (!binding || key === undefined || binding.idParameter === undefined || exchange.request.body === undefined)
      continue;
    if (!['update', 'replace'].includes(binding.resource.action) || !source || !isSuccess(source.response.status))
      continue;
    const id = evaluateExpression(`$request.path.${binding.idParameter}`, source);
    if (typeof id !== 'string') continue;
    const record = binding.resource.record;
    const pointers = [...new Set([appendPointer(record, key), appendPointer('', key)])];
    for (const pointer of pointers) {
      const value = await sentField(source, pointer);
      if (value === undefined || value === null || String(value) === id) continue;
      const name = `${binding.resource.collection} ${JSON.stringify(id)}`; // as the cleanup looks it up
      renamed.set(name, `${exchange.testCase.operation.operationId} accepted ${key} ${JSON.stringify(value)} for it`);
      break;
    }
  }
  return renamed;
}

/**
 * The ids a create's answer gives: the one its expression names, or, where that is the first record
 * of a list the answer holds (`$response.body#/Contacts/0/ContactID`), every record's of the list.
 */
function createdIds(expression: string, source: ExpressionSource): unknown[] {
  const body = '$response.body#';
  const json = source.response.json?.value;
  if (!expression.startsWith(body) || json === undefined) return [evaluateExpression(expression, source)];
  const tokens = expression.slice(body.length).split('/').slice(1);
  const at = tokens.findIndex(
    (token, i) =>
      token === '0' && Array.isArray(getPointer(json, `/${tokens.slice(0, i).join('/')}`.replace(/\/$/, ''))),
  );
  if (at < 0) return [evaluateExpression(expression, source)];
  const list = getPointer(json, `/${tokens.slice(0, at).join('/')}`.replace(/\/$/, '')) as unknown[];
  return list.map((_, i) =>
    getPointer(json, `/${[...tokens.slice(0, at), String(i), ...tokens.slice(at + 1)].join('/')}`),
  );
}

/** The ids a case takes from earlier answers: its path's, its query's and its body's. */
function linkedValues(testCase: TestCase): LinkedValue[] {
  const { pathParams, query, bodyId, bodyRefs } = testCase.request;
  const body = [bodyId?.linked, ...(bodyRefs ?? []).map((ref) => ref.linked)].filter((v) => v !== undefined);
  return [...Object.values(pathParams), ...Object.values(query), ...body].filter(
    (value): value is LinkedValue => 'sourceOperationId' in value,
  );
}

/** Whether a value read as a record's id names one: an empty text (a key sent empty) names none in a path. */
const namesRecord = (id: unknown): boolean => id !== undefined && id !== null && id !== '';

/**
 * Whether an answered exchange is a create's answer that found its record already there (a 200
 * beside a documented 201): that record is not the run's, so nothing of the run changes or deletes it.
 */
function foundExisting(exchange: Exchange, spec: Spec): boolean {
  return (
    exchange.response !== undefined && answersExisting(spec, exchange.testCase.operation, exchange.response.status)
  );
}

/** Why a case naming the record a create found (not made) is not sent. */
function existingReason(exchange: Exchange, what: string): string {
  const { operation } = exchange.testCase;
  const status = exchange.response?.status;
  const said = operation.responses.find((r) => r.status === String(status))?.description?.trim();
  return `${what} answered ${status}${said ? ` ("${said}")` : ''}, a record already there rather than one it made: the run acts only on records it made`;
}

/**
 * Every record a successful create or copy answered with, once per collection and id, in plan order:
 * only those it made, unless `found` asks for the records it found already there too.
 */
function createdRecords(
  exchanges: readonly (Exchange | undefined)[],
  plan: Plan,
  spec: Spec,
  baseUrl: string,
  found = false,
) {
  const records: CreatedRecord[] = [];
  const seen = new Set<string>();
  for (const exchange of exchanges) {
    const source = exchange && sourceOf(exchange, baseUrl);
    if (!exchange || !source || !isSuccess(source.response.status)) continue;
    if (!found && foundExisting(exchange, spec)) continue;
    for (const cleanupPlan of plan.cleanup) {
      const create = cleanupPlan.creates.find((c) => c.operationId === exchange.testCase.operation.operationId);
      if (!create) continue;
      for (const id of createdIds(create.expression, source)) {
        const key = `${cleanupPlan.collection} ${JSON.stringify(id)}`;
        if (!namesRecord(id) || seen.has(key)) continue;
        seen.add(key);
        const parents = resourceModel(spec).get(create.operationId)?.parentParameters;
        records.push({
          plan: cleanupPlan,
          operationId: create.operationId,
          id,
          parents: parentValues(source, parents),
        });
      }
    }
  }
  return records;
}

/**
 * Ids created by the link sources' positive cases, in plan order (not completion order), handed out
 * round-robin to the cases of the operations they feed: same seed, same ids for the same server.
 */
class IdPool {
  private readonly ids = new Map<string, unknown[]>();
  private readonly taken = new Map<string, number>();
  /** The first id of each source: the parent every case naming one of its records as a parent takes. */
  private readonly firsts = new Map<string, unknown>();
  /** Sources whose creates answered only records already there: why no case takes one. */
  private readonly foundOnly = new Map<string, string>();
  /** Sources whose first record is a parent: no delete takes it away. */
  private readonly pinned = new Set<string>();

  static key(linked: LinkedValue): string {
    return `${linked.sourceOperationId} ${linked.expression}`;
  }

  /** Records of `linked`'s source are parents of others (`parent`): its first one stays. */
  pin(linked: LinkedValue): void {
    this.pinned.add(IdPool.key(linked));
  }

  /** `found`: why the source's answers that found a record already there gave the pool none of theirs. */
  fill(linked: LinkedValue, created: readonly ExpressionSource[], found?: string): void {
    const ids = created.map((source) => evaluateExpression(linked.expression, source)).filter(namesRecord);
    this.ids.set(IdPool.key(linked), ids);
    if (ids.length > 0) this.firsts.set(IdPool.key(linked), ids[0]);
    else if (found !== undefined) this.foundOnly.set(IdPool.key(linked), found);
  }

  /** Why `linked`'s source gave no id: it found records already there and made none. */
  found(linked: LinkedValue): string | undefined {
    return this.foundOnly.get(IdPool.key(linked));
  }

  /**
   * An id, round robin, or a parent's first; `consume` (a delete) takes it out, so no later case is
   * handed a deleted record (never a parent's first).
   */
  take(linked: LinkedValue, consume = false): unknown {
    const key = IdPool.key(linked);
    if (linked.parent) return this.firsts.get(key);
    const ids = this.ids.get(key) ?? [];
    if (ids.length === 0) return undefined;
    let index = (this.taken.get(key) ?? 0) % ids.length;
    if (!consume) {
      this.taken.set(key, index + 1);
      return ids[index];
    }
    if (this.pinned.has(key) && ids[index] === this.firsts.get(key)) {
      if (ids.length === 1) return undefined;
      index = (index + 1) % ids.length;
    }
    return ids.splice(index, 1)[0];
  }

  /** Whether a delete is refused `linked`'s record because the one its source made is a parent. */
  withholds(linked: LinkedValue): boolean {
    const key = IdPool.key(linked);
    const ids = this.ids.get(key) ?? [];
    return this.pinned.has(key) && ids.length === 1 && ids[0] === this.firsts.get(key);
  }
}

/**
 * The run's requests per credential (the spec's x-rate-limit scope), with when each was sent and
 * answered: a throttled answer is measured against what may have arrived before it, not against
 * what was sent before it (requests in flight reach a server in any order).
 */
class CredentialLog {
  private readonly requests = new Map<string, { sent: number; answered: number }[]>();
  private readonly headerNames: string[];
  private readonly queryNames: string[];

  constructor(
    private readonly spec: Spec,
    private readonly clock: Clock,
  ) {
    this.headerNames = credentialHeaders(spec.securitySchemes.values());
    this.queryNames = credentialNames(spec.securitySchemes.values()).query;
    if (this.headerNames.length === 0 && this.queryNames.length === 0) this.headerNames.push('authorization');
  }

  key(request: SentRequest): string {
    if (this.spec.rateLimit?.scope === 'global') return '';
    const parts = this.headerNames.map((name) => request.headers[name] ?? '');
    if (this.queryNames.length > 0) {
      const params = new URL(request.url).searchParams;
      for (const name of this.queryNames) parts.push(params.get(name) ?? '');
    }
    return parts.join('\u0000');
  }

  sent(request: SentRequest): { sent: number; answered: number } {
    const entry = { sent: this.clock.now(), answered: Number.POSITIVE_INFINITY };
    const key = this.key(request);
    const list = this.requests.get(key);
    if (list) list.push(entry);
    else this.requests.set(key, [entry]);
    return entry;
  }

  /** Requests on the credential sent before `answeredAt` and within the period before it, this one included. */
  possiblyEarlier(request: SentRequest, answeredAt: number, periodMs: number): number {
    // A tenth of the period more (at most 1 s): the server's clock and ours may be apart a little.
    const from = answeredAt - periodMs - Math.min(1000, periodMs / 10);
    let count = 0;
    for (const entry of this.requests.get(this.key(request)) ?? []) {
      if (entry.sent <= answeredAt && entry.sent >= from) count++;
    }
    return count;
  }
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined when absent or unreadable. */
function retryAfterMs(response: ReceivedResponse): number | undefined {
  const value = response.headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The pause after a 429 that names no time, when the spec documents no rate limit to take the period from. */
const DEFAULT_BACK_OFF_MS = 1000;

/**
 * How long an answer asks the whole run to wait before its next request, or undefined when it does
 * not: any 429 (the spec's rate-limit status or not) and a 503 with Retry-After, for their
 * Retry-After, else the spec's rate-limit period. Only the pace follows from it: whether the answer
 * is judged is the checks' business, and without x-rate-limit it is judged like any other.
 */
function backOffMs(response: ReceivedResponse, limit: Spec['rateLimit']): number | undefined {
  const status = String(response.status);
  const retryAfter = retryAfterMs(response);
  if (status === '503' && retryAfter !== undefined) return retryAfter;
  if (status !== '429' && status !== limit?.status) return undefined;
  return retryAfter ?? (limit ? limit.period * 1000 : DEFAULT_BACK_OFF_MS);
}

/**
 * How long the cleanup pass may wait on Retry-After, counted from its start: deleting what the run
 * made is worth a long wait, but a server that never lets it through must not hold the run forever.
 */
export const CLEANUP_THROTTLE_WAIT_MS = 15 * 60_000;
/** At most this many throttled answers to one cleanup delete before its record is left. */
const CLEANUP_RETRIES = 5;
/** Deletes of a record that still reads after one (a first delete that deactivates) before it is left. */
const LINGERING_DELETES = 3;

/** How many of a record's texts name a create the cleanup could not delete. */
const SENT_WITH_SHOWN = 2;

/** What finds a create's record: its JSON body's unique fields, else its first texts (the run stamped them). */
function uniqueValues(testCase: TestCase, request: SentRequest): Record<string, unknown> | undefined {
  if (typeof request.body !== 'string') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const fields = testCase.operation.resource?.unique?.fields ?? [];
  const found = fields.filter((field) => record[field] !== undefined);
  if (found.length > 0) return Object.fromEntries(found.map((field) => [field, record[field]]));
  // Without declared unique fields, the run made every text of the record its own: they find it.
  const texts = textLeaves(body, bodyMedia(testCase.operation)?.schema).filter(([, text]) => text !== '');
  return texts.length > 0
    ? Object.fromEntries(texts.slice(0, SENT_WITH_SHOWN).map(([pointer, text]) => [pointer.slice(1), text]))
    : undefined;
}

/**
 * A create with no usable answer may have made its record all the same (the server may be slow, or
 * have dropped the connection after storing it): the cleanup cannot delete what it has no id for, so
 * it is reported as a possible leftover, unless the request never reached the server.
 */
function unansweredCreates(exchanges: readonly Exchange[], plan: Plan): Leftover[] {
  const creates = new Set(plan.cleanup.flatMap((c) => c.creates.map((create) => create.operationId)));
  return exchanges.flatMap((e) => {
    if (!e.error || e.error.unsent || !creates.has(e.testCase.operation.operationId)) return [];
    const sentWith = uniqueValues(e.testCase, e.request);
    const reason = e.error.reason === 'timeout' ? UNANSWERED_CREATE : `${e.error.message}: may have been created`;
    return [{ operationId: e.testCase.operation.operationId, id: null, reason, ...(sentWith ? { sentWith } : {}) }];
  });
}

/**
 * A create answered with a success made a record all the same where the run cannot tell its id: the
 * spec gives no way to read it from the answer (`{"Contacts": [{"ContactID"}]}` sent as a record),
 * or the answer lacks it where the spec says it goes. The cleanup cannot delete such a record, and
 * says so, rather than that nothing was left behind.
 */
function unidentifiedCreates(exchanges: readonly Exchange[], plan: Plan, spec: Spec, baseUrl: string): Leftover[] {
  const expressions = new Map(
    plan.cleanup.flatMap((c) => c.creates.map((create) => [create.operationId, create.expression] as const)),
  );
  return exchanges.flatMap((e) => {
    const operation = e.testCase.operation;
    if (!e.response || !isSuccess(e.response.status) || foundExisting(e, spec)) return [];
    const expression = expressions.get(operation.operationId);
    let reason: string;
    if (expression === undefined) {
      if (!makesRecords(operation, spec)) return [];
      reason = UNIDENTIFIED_CREATE;
    } else {
      const source = sourceOf(e, baseUrl);
      // An answer listing no record (an empty batch) made none.
      const ids = source ? createdIds(expression, source) : [];
      if (ids.length === 0 || ids.some(namesRecord)) return [];
      reason = expression.startsWith('$request') ? SENT_WITHOUT_KEY : ANSWERED_WITHOUT_ID;
    }
    const sentWith = uniqueValues(e.testCase, e.request);
    return [{ operationId: operation.operationId, id: null, reason, ...(sentWith ? { sentWith } : {}) }];
  });
}

/** The record id a merge step must return: the one the scenario's earlier step created. */
function storedId(step: TestCase, target: ReceivedResponse | undefined): unknown {
  const resource = step.operation.resource;
  if (!target?.json || !resource?.id) return undefined;
  return getPointer(getPointer(target.json.value, resource.record), `/${resource.id}`);
}

/** The id of the record a step made, where the spec's resource model says its answer carries it. */
function createdId(spec: Spec, step: TestCase | undefined, answer: ReceivedResponse | undefined): unknown {
  if (!step || !answer?.json) return undefined;
  const binding = resourceModel(spec).get(step.operation.operationId);
  if (!binding?.idField) return undefined;
  return getPointer(getPointer(answer.json.value, binding.resource.record), `/${binding.idField}`);
}

type Remove = NonNullable<Plan['cleanup'][number]['remove']>;

/** A request's answer (or transport error), when it was sent, and what a throttle of it showed. */
interface Outcome {
  result: SendResult;
  timing: { startedAt: number; durationMs: number };
  throttle?: ThrottleEvidence;
  /** How long the answer asked the run to wait (a throttle), when it did. */
  backOffMs?: number;
}

/** At most this many retries of one throttled case. */
const MAX_RETRIES = 2;

/** The longest one Retry-After may hold the planned cases: a server asking for more ends them. */
const MAX_HOLD_MS = 15 * 60_000;

export async function execute(plan: Plan, options: ExecuteOptions): Promise<Execution> {
  const clock = options.clock ?? systemClock;
  const interruptedReason = (): string => `the run was interrupted (${String(options.signal?.reason ?? 'abort')})`;
  const pacer = options.pacer ?? new Pacer(undefined, clock);
  // A server asking for a day (Retry-After: 86400) does not hold the run for a day: no planned case
  // is sent after it, and the cleanup still deletes what it can on its own cap.
  const held = new AbortController();
  const planned = options.signal ? AbortSignal.any([options.signal, held.signal]) : held.signal;
  const stoppedReason = (): string =>
    options.signal?.aborted
      ? interruptedReason()
      : `the server asked the run to wait more than ${MAX_HOLD_MS / 60_000} min (Retry-After)`;
  // By seq: plan order whatever the completion order.
  const exchanges: Exchange[] = [];
  const pool = new IdPool();
  const userHeaders = wireHeaders(options.userHeaders);
  const given = options.credentials ?? NO_CREDENTIALS;
  const log = new CredentialLog(options.spec, clock);
  const limit = options.spec.rateLimit;
  let waitBudget = options.throttleWaitMs;
  /** What a case not sent would have been, for the reports: its path template where it cannot be built at all. */
  const placeholder = (testCase: TestCase): SentRequest => {
    const built = buildRequest(testCase, options.baseUrl, userHeaders, () => '{unavailable}', undefined, given);
    if (!('notSent' in built)) return built;
    const { method, path } = testCase.operation;
    return { method: method.toUpperCase(), url: `${options.baseUrl}${path}`, headers: {} };
  };

  const record = (exchange: Exchange): Exchange => {
    exchanges[exchange.testCase.seq] = exchange;
    options.onExchange(exchange);
    return exchange;
  };

  /**
   * Sends once, and again after Retry-After while the answer is a throttle the run cannot judge and
   * the --throttle-wait budget allows. Any throttle pauses the whole run's pacer, retried or not:
   * the server's quota is the run's, so no case may go out before the server said it may. Once
   * `stop` aborts nothing more is sent: undefined when nothing was, else the last answer.
   */
  const sendPaced = async (
    request: SentRequest,
    testCase: TestCase,
    paced: boolean,
    retry: boolean,
    stop: AbortSignal | undefined,
    dropWhen?: AbortSignal,
  ): Promise<Outcome | undefined> => {
    let retries = 0;
    let waitedMs = 0;
    let last: Outcome | undefined;
    for (;;) {
      const pace = paced || retries > 0;
      if (pace && !pacer.free()) await pacer.wait(stop);
      if (stop?.aborted) return last;
      const entry = log.sent(request);
      const startedAt = Date.now();
      const result = await options.client.send(
        request,
        async () => {
          if (pace && !pacer.free()) await pacer.wait(stop);
          log.sent(request);
        },
        dropWhen,
      );
      entry.answered = clock.now();
      const timing = { startedAt, durationMs: entry.answered - entry.sent };
      const backOff = 'response' in result ? backOffMs(result.response, limit) : undefined;
      if (backOff === undefined || !('response' in result)) return { result, timing };
      pacer.pause(backOff);
      if (backOff > MAX_HOLD_MS) held.abort();
      // Only the spec's own rate-limit status is a throttle the checks weigh (and the case retries).
      if (!limit || testCase.expectThrottle || String(result.response.status) !== limit.status) {
        return { result, timing, backOffMs: backOff };
      }
      const evidence = {
        possiblyEarlier: log.possiblyEarlier(request, entry.answered, limit.period * 1000),
        ownCredential: log.key(request).includes(options.runNonce),
        retries,
        waitedMs,
      };
      last = { result, timing, throttle: evidence, backOffMs: backOff };
      if (!retry || provablyPremature(evidence, limit) || retries >= MAX_RETRIES || backOff > waitBudget) return last;
      waitBudget -= backOff;
      waitedMs += backOff;
      retries++;
    }
  };

  /** What accepted requests named together by reference (operation, path, referenced ids). */
  const namedTogether = new Set<string>();
  /** The record each of those requests made (collection and id): its delete frees what it named. */
  const madeTogether = new Map<string, string>();
  const collectionOf = (testCase: TestCase) =>
    resourceModel(options.spec).get(testCase.operation.operationId)?.resource.collection;
  const send = async (
    testCase: TestCase,
    resolve: Resolve,
    paced: boolean,
    known: { mergeTargetId?: unknown; subjectId?: unknown } = {},
  ) => {
    let usesCreatedId = false;
    let unresolved: LinkedValue | undefined;
    const referenced: unknown[] = [];
    const acted: unknown[] = [];
    const resolveAndNote: Resolve = (linked) => {
      const value = resolve(linked);
      if (value === undefined) unresolved ??= linked;
      // A reference to another record is not the record the case acts on.
      if (value !== undefined && !linked.reference) usesCreatedId = true;
      if (value !== undefined) (linked.reference ? referenced : acted).push(value);
      return value;
    };
    if (planned.aborted) {
      return record({ testCase, request: placeholder(testCase), notSent: stoppedReason(), usesCreatedId: false });
    }
    // A bounded id (1 to 3) made up as one nobody created may since have been returned by a create.
    const made = testCase.stateful?.rule === 'unknown-id' ? testCase.stateful.id : undefined;
    if (
      made !== undefined &&
      createdRecords(exchanges, plan, options.spec, options.baseUrl, true).some((r) => String(r.id) === made)
    ) {
      const notSent = `the id ${made}, made up as one no create returned, was returned by a create of this run`;
      return record({ testCase, request: placeholder(testCase), notSent, usesCreatedId: false });
    }
    const built = buildRequest(testCase, options.baseUrl, userHeaders, resolveAndNote, options.fits, given);
    if ('notSent' in built) {
      const notSent =
        unresolved && deletes(testCase) && pool.withholds(unresolved)
          ? `the one record ${unresolved.sourceOperationId} made is kept: records of another collection are made under it (more cases make more records)`
          : ((unresolved && unresolved.step === undefined ? pool.found(unresolved) : undefined) ?? built.notSent);
      return record({ testCase, request: placeholder(testCase), notSent, usesCreatedId: false });
    }
    const together =
      referenced.length > 0
        ? `${testCase.operation.operationId} ${new URL(built.url).pathname} ${JSON.stringify(referenced)}`
        : undefined;
    const repeats = together !== undefined && namedTogether.has(together);
    // The burst is unpaced and measures the limit itself: its throttles are answers, not obstacles.
    const outcome = await sendPaced(built, testCase, paced, paced, planned);
    if (!outcome) return record({ testCase, request: built, notSent: stoppedReason(), usesCreatedId: false });
    const { result, throttle, timing } = outcome;
    if ('response' in result && isSuccess(result.response.status)) {
      if (together !== undefined) {
        namedTogether.add(together);
        const id = createdId(options.spec, testCase, result.response);
        if (id !== undefined) madeTogether.set(`${collectionOf(testCase)} ${String(id)}`, together);
      }
      // A deleted membership no longer holds its pair: naming it again must be taken.
      if (deletes(testCase))
        for (const id of acted) {
          const key = madeTogether.get(`${collectionOf(testCase)} ${String(id)}`);
          if (key !== undefined) namedTogether.delete(key);
        }
    }
    return record({
      testCase,
      request: built,
      ...('response' in result ? { response: result.response } : { error: result.error }),
      usesCreatedId,
      ...(known.mergeTargetId !== undefined ? { mergeTargetId: known.mergeTargetId } : {}),
      ...(known.subjectId !== undefined ? { subjectId: known.subjectId } : {}),
      ...(repeats ? { repeatsReferences: true as const } : {}),
      ...(throttle ? { throttle } : {}),
      timing,
    });
  };

  const fromPool: Resolve = (linked) => pool.take(linked);
  // A valid delete removes its record: the id leaves the pool with it.
  const deletes = (testCase: TestCase): boolean =>
    testCase.kind === 'positive' &&
    resourceModel(options.spec).get(testCase.operation.operationId)?.resource.action === 'delete';
  const forCase =
    (testCase: TestCase): Resolve =>
    (linked) =>
      pool.take(linked, deletes(testCase) && !linked.reference);
  const fed = new Map<string, LinkedValue>();
  // Scenario steps take records of the pool too: a nested record's parent, made by a phase.
  for (const testCase of [...plan.phases.flatMap((p) => p.cases), ...plan.scenarios.flatMap((s) => s.steps)]) {
    for (const value of linkedValues(testCase)) {
      fed.set(IdPool.key(value), value);
      if (value.parent) pool.pin(value);
    }
  }

  for (const phase of plan.phases) {
    await inParallel(phase.cases, options.concurrency, (testCase) => send(testCase, forCase(testCase), true));
    const answered = phase.cases
      .filter((c) => c.kind === 'positive')
      .map((c) => exchanges[c.seq])
      .filter((e): e is Exchange => e?.response !== undefined && isSuccess(e.response.status));
    // A create that found its record already there (someone's on a live target) feeds no case.
    const found = options.keepFound ? answered.filter((e) => foundExisting(e, options.spec)) : [];
    const created = answered
      .filter((e) => !found.includes(e))
      .map((e) => sourceOf(e, options.baseUrl))
      .filter((source) => source !== undefined);
    const why = found[0] && existingReason(found[0], phase.operation.operationId);
    for (const linked of fed.values()) {
      if (linked.sourceOperationId === phase.operation.operationId) pool.fill(linked, created, why);
    }
  }

  /** Steps in order; after a failed step the later ones are not sent (their checks are skipped). */
  const runScenario = async (scenario: Scenario, paced: boolean, stopOnFailure: boolean): Promise<void> => {
    const responses: (ReceivedResponse | undefined)[] = [];
    const sources: (ExpressionSource | undefined)[] = [];
    /** Per step: why the record it answered is not the run's (a create that found it already there). */
    const found: (string | undefined)[] = [];
    let blocked: string | undefined;
    for (const [index, step] of scenario.steps.entries()) {
      // A step naming a record an earlier step found rather than made would act on someone's record,
      // and one judged about it (`about`: a fresh id after its delete) would expect what was not done.
      const about = step.stateful && 'about' in step.stateful ? step.stateful.about : undefined;
      const foundBy = [...linkedValues(step).map((l) => l.step), about].find(
        (at) => at !== undefined && found[at] !== undefined,
      );
      const held = blocked ?? (foundBy === undefined ? undefined : found[foundBy]);
      if (held) {
        record({ testCase: step, request: placeholder(step), notSent: held, usesCreatedId: false });
        responses.push(undefined);
        sources.push(undefined);
        found.push(foundBy === undefined ? undefined : held);
        continue;
      }
      const resolve: Resolve = (linked) => {
        if (linked.step === undefined) return fromPool(linked);
        const source = sources[linked.step];
        const value = source ? evaluateExpression(linked.expression, source) : undefined;
        return value === null ? undefined : value;
      };
      const mergedInto = step.stateful?.rule === 'merged' ? step.stateful.intoStep : undefined;
      const target = mergedInto === undefined ? undefined : storedId(step, responses[mergedInto]);
      const subject =
        about === undefined ? undefined : createdId(options.spec, scenario.steps[about], responses[about]);
      const exchange = await send(step, resolve, paced, {
        ...(target !== undefined ? { mergeTargetId: target } : {}),
        ...(subject !== undefined ? { subjectId: subject } : {}),
      });
      responses.push(exchange.response);
      sources.push(sourceOf(exchange, options.baseUrl));
      found.push(
        options.keepFound && foundExisting(exchange, options.spec)
          ? existingReason(exchange, `step ${index + 1} of "${scenario.name}"`)
          : undefined,
      );
      // A step that expects a refusal (a deleted record's not-found answer) went as planned when refused.
      const rule = step.stateful;
      const expects =
        rule && 'status' in rule && (rule.rule === 'gone' || rule.rule === 'unknown-id') ? rule.status : undefined;
      const status = exchange.response?.status;
      // A read guarding a change to a made-up id lets it through only on a not-found: where the
      // document says no more than `4XX`, a 403 or a 429 says nothing of whether the id exists.
      const absent = rule?.rule !== 'unknown-id' || expects !== '4XX' || status === 404 || status === 410;
      const ok =
        status !== undefined &&
        (expects !== undefined
          ? answersGone(step.operation, expects, status, exchange.response?.json?.value, rule?.rule === 'gone') &&
            absent
          : isSuccess(status));
      if (stopOnFailure && !ok && index < scenario.steps.length - 1) {
        blocked = `step ${index + 1} of "${scenario.name}" did not succeed`;
      }
    }
  };

  await inParallel(plan.scenarios, options.concurrency, (scenario) => runScenario(scenario, true, true));
  if (plan.burst) await runScenario(plan.burst, false, false);
  const sent = exchanges.filter((e) => e !== undefined);
  if (!options.cleanup) return { exchanges: sent, cleaned: 0, leftovers: [] };

  // A delete for every record the run made.
  const records = createdRecords(sent, plan, options.spec, options.baseUrl);
  const renamed = await renamedRecords(sent, plan, options.spec, options.baseUrl);
  let cleaned = 0;
  const leftovers: Leftover[] = [
    ...unansweredCreates(sent, plan),
    ...unidentifiedCreates(sent, plan, options.spec, options.baseUrl),
  ];
  const cleanupEnds = clock.now() + CLEANUP_THROTTLE_WAIT_MS;
  const waitShown = (): string =>
    options.signal?.aborted
      ? `${INTERRUPTED_CLEANUP_MS / 1000} s (interrupted)`
      : `${CLEANUP_THROTTLE_WAIT_MS / 60_000} min`;
  // A signal, before the cleanup or during it, leaves it INTERRUPTED_CLEANUP_MS from then on. Real
  // time, not the run's clock: it bounds what a person waiting on Ctrl-C sees.
  const cleanupStopper = new AbortController();
  const cleanupStop = cleanupStopper.signal;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const startDeadline = (): void => {
    deadline = setTimeout(
      () =>
        cleanupStopper.abort(`the run was interrupted and its cleanup's ${INTERRUPTED_CLEANUP_MS / 1000} s ran out`),
      INTERRUPTED_CLEANUP_MS,
    );
  };
  if (options.signal?.aborted) startDeadline();
  else options.signal?.addEventListener('abort', startDeadline, { once: true });
  // What a delete of the run already removed: a second delete may be refused with a 4xx the delete
  // documents without it being its not-found (400 "not found"), which says no more than that it is
  // gone. Only a delete whose URL names its record says which record that was.
  const removes = new Set(plan.cleanup.flatMap((c) => (c.remove ? [c.remove.testCase.operation.operationId] : [])));
  const deletedInRun = new Set(
    sent
      .filter((e) => removes.has(e.testCase.operation.operationId) && e.response && isSuccess(e.response.status))
      .map((e) => `${e.request.method} ${e.request.url}`),
  );
  const namesInUrl = (remove: Remove): boolean =>
    remove.testCase.request.bodyId === undefined && (remove.testCase.request.bodyRefs?.length ?? 0) === 0;
  /**
   * Why a record could not be deleted, or undefined once it is gone. A delete waits out the
   * server's Retry-After within the cleanup's own wait, not --throttle-wait: what the run made
   * should not stay behind because the server asked for patience.
   */
  const removeRecord = async (built: SentRequest, remove: Remove, renamedBy?: string): Promise<string | undefined> => {
    const name = remove.testCase.operation.operationId;
    const removedBefore = namesInUrl(remove) && deletedInRun.has(`${built.method} ${built.url}`);
    const refusals = new Set(remove.testCase.operation.responses.map((r) => r.status).filter((s) => /^4\d\d$/.test(s)));
    let answer = 'not sent';
    for (let attempt = 0; attempt < CLEANUP_RETRIES; attempt++) {
      if (pacer.resumesAt() > cleanupEnds) {
        return `${name} ${answer}: the server asked to wait past the cleanup's ${waitShown()} wait on Retry-After`;
      }
      // A delete in flight when the interrupted cleanup's time is up is dropped too, not waited on.
      const outcome = await sendPaced(built, remove.testCase, true, false, cleanupStop, cleanupStop);
      if (!outcome) return `${name} ${answer}: the cleanup's ${waitShown()} ran out`;
      const { result, backOffMs: backOff } = outcome;
      if ('response' in result) {
        const status = String(result.response.status);
        if (isSuccess(result.response.status)) return undefined;
        // Not found under the id the run knows, after the run gave it another key: it may live on under that.
        if (status === remove.notFound && renamedBy !== undefined && !removedBefore)
          return `${name} answered ${status}, and ${renamedBy}: it may remain under that`;
        // A delete at the top not finding a record made under a parent's record says the top does not
        // hold it, not that it is gone: unless the run deleted it there itself, it is left behind.
        if (status === remove.notFound && (!remove.shared || removedBefore)) return undefined;
        if (removedBefore && refusals.has(status) && status !== '429') return undefined;
        answer = `answered ${status}`;
      } else answer = result.error.message;
      if (backOff === undefined) break;
    }
    return `${name} ${answer}`;
  };
  // A collection whose record the run read back after deleting it (a first delete that deactivates,
  // a second that deletes) is read after each delete of the cleanup, and deleted again while it reads.
  const lingers = new Set(
    plan.cleanup.filter((c) =>
      sent.some(
        (e) =>
          e.testCase.stateful?.rule === 'gone' &&
          e.testCase.operation === c.read?.testCase.operation &&
          e.response !== undefined &&
          isSuccess(e.response.status),
      ),
    ),
  );
  /** Why a record still reads after its deletes, or undefined once a read says it is gone. */
  const removeLingering = async (
    remove: Remove,
    read: NonNullable<Plan['cleanup'][number]['read']>,
    request: (testCase: TestCase) => SentRequest | { notSent: string },
  ): Promise<string | undefined> => {
    for (let round = 1; round <= LINGERING_DELETES; round++) {
      const built = request(read.testCase);
      if ('notSent' in built) return built.notSent;
      const outcome = await sendPaced(built, read.testCase, true, false, cleanupStop, cleanupStop);
      const status = outcome && 'response' in outcome.result ? outcome.result.response.status : undefined;
      const reader = read.testCase.operation.operationId;
      if (status === undefined) return `${reader} not answered after the delete`;
      // Gone is what the read says of a record not stored; a throttle or a server error says nothing.
      const gone = read.gone === '4XX' ? status >= 400 && status < 500 && status !== 429 : String(status) === read.gone;
      if (gone) return undefined;
      if (!isSuccess(status)) return `${reader} answered ${status} after the delete`;
      if (round === LINGERING_DELETES) break;
      const again = request(remove.testCase);
      if ('notSent' in again) return again.notSent;
      const problem = await removeRecord(again, remove);
      if (problem !== undefined) return problem;
    }
    const name = remove.testCase.operation.operationId;
    return `${name} answered a success ${LINGERING_DELETES} times, and the record still reads`;
  };
  // One collection after another, in the plan's order: records that name others go first.
  const byPlan = plan.cleanup.map((cleanupPlan) => records.filter((r) => r.plan === cleanupPlan));
  try {
    for (const batch of byPlan)
      await inParallel(batch, options.concurrency, async ({ plan: cleanupPlan, operationId, id, parents }) => {
        const remove = cleanupPlan.remove;
        if (!remove) {
          leftovers.push({ operationId, id, reason: NO_DELETE });
          return;
        }
        // A nested record is deleted (and read) under the parent it was made under.
        const request = (of: TestCase): SentRequest | { notSent: string } => {
          const names = resourceModel(options.spec).get(of.operation.operationId)?.parentParameters ?? [];
          const pathParams = { ...of.request.pathParams };
          names.forEach((name, i) => {
            if (parents[i] !== undefined && parents[i] !== '') pathParams[name] = { value: parents[i] };
          });
          const testCase = { ...of, request: { ...of.request, pathParams } };
          return buildRequest(testCase, options.baseUrl, userHeaders, () => id, undefined, given);
        };
        const built = request(remove.testCase);
        if ('notSent' in built) {
          leftovers.push({ operationId, id, reason: built.notSent });
          return;
        }
        let problem = await removeRecord(
          built,
          remove,
          renamed.get(`${cleanupPlan.collection} ${JSON.stringify(String(id))}`),
        );
        if (problem === undefined && cleanupPlan.read && lingers.has(cleanupPlan))
          problem = await removeLingering(remove, cleanupPlan.read, request);
        if (problem === undefined) cleaned++;
        else leftovers.push({ operationId, id, reason: problem });
      });
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', startDeadline);
  }
  leftovers.sort(
    (a, b) =>
      a.operationId.localeCompare(b.operationId) || String(a.id).localeCompare(String(b.id), 'en', { numeric: true }),
  );
  return { exchanges: sent, cleaned, leftovers };
}
