/**
 * The data that flows through a run: cases (what to send and what the contract expects), the
 * exchanges they produce, and the per-(case, check) outcomes reporters render.
 */

import type { Assumption } from '../lib/provenance.js';
import type { Operation, Response, Spec } from '../lib/spec.js';
import type { ValidatorCache } from '../lib/validator.js';

/**
 * What a case exercises; it decides which outcome check judges the status:
 * positive -> positive_data_accepted, negative -> negative_data_rejected,
 * header -> missing_required_header, auth -> ignored_auth, stateful -> stateful_rules or
 * resource_availability, rate-limit -> rate_limit.
 */
export type CaseKind = 'positive' | 'negative' | 'header' | 'auth' | 'stateful' | 'rate-limit';

/**
 * A request body: a value the media type's encoding writes (JSON, form-urlencoded, multipart), or
 * `raw` text for cases that must send invalid bytes.
 */
export type PlannedBody =
  | { kind: 'value'; value: unknown; mediaType: string }
  | { kind: 'raw'; text: string; contentType?: string };

/**
 * A parameter's value: what the parameter's style writes (`value`), or `text` sent as given, for
 * cases whose point is text the style could not produce (a wrong type, a malformed value).
 */
export type WireValue = { value: unknown } | { text: string };

/** A path parameter filled from a record created earlier in the run (the spec's `links`). */
export interface LinkedValue {
  /** Scenario-local step index that created the record, or undefined to take one from the run's pool. */
  step?: number;
  sourceOperationId: string;
  /** Runtime expression from the link, e.g. `$response.body#/id`. */
  expression: string;
  /** An id of another record the request refers to (`bodyRefs`), not the record it acts on: never consumed. */
  reference?: true;
  /**
   * The record the request's own record is under (`contact_id` of `/contacts/{contact_id}/notes`):
   * every case takes the same one, the first the run made, so a nested record is always asked about
   * under the parent it was made under.
   */
  parent?: true;
}

/**
 * Where a body names a record of another collection: the value at `pointer`, with `each` the
 * property `each` of every item of the array at `pointer`, with `items` every item of that array
 * (a list of member ids); each item its own record. With `count`, the list names that many records,
 * however many items it had (a bulk delete's list: each valid case removes as few as its schema allows).
 */
export interface BodyRef {
  pointer: string;
  each?: string;
  items?: true;
  count?: number;
  /** The body holds it as text though the record's id is a number (`"user_id": "7"`). */
  text?: true;
  linked: LinkedValue;
}

export interface PlannedRequest {
  pathParams: Record<string, WireValue | LinkedValue>;
  query: Record<string, WireValue | LinkedValue>;
  cookies: Record<string, WireValue>;
  /** Headers the case sets itself (generated values, credentials). */
  headers: Record<string, string>;
  /** Header names the case must NOT send whatever --header says (missing-credential or missing-header cases). */
  omitHeaders: string[];
  /** Header names whose case value wins over --header (malformed header or credential cases). */
  forceHeaders: string[];
  body?: PlannedBody;
  /** An id from an earlier answer written into the body (an `x-resource` `idPointer`). */
  bodyId?: { pointer: string; linked: LinkedValue };
  /**
   * Ids of records of other collections written over the body's values where it has one (an
   * `x-resource.related` lookup whose `by` the body carries: a reference the server may check
   * exists); the case's own value stays when the run made no such record.
   */
  bodyRefs?: BodyRef[];
  /**
   * A list of member ids no operation of the spec can make records for (an add-members whose
   * collection has no create): a case whose body names any is not sent, with this reason.
   */
  unmadeIds?: { pointer: string; reason: string };
  /**
   * The body's copy of the attribute its path names the record by (`email` of `PUT /contacts/{email}`):
   * written as the path's value, so that a change never renames the record the path names.
   */
  keyFromPath?: { pointer: string; parameter: string };
  /** On a target holding others' records: why the case is not sent (it would change a record the run did not make). */
  othersRecord?: string;
  /**
   * Where a valid body names another record by an id the run did not make (an example's
   * `Contacts/0/ContactID`): a correct server may refuse the case, with a status it documents, for
   * naming none.
   */
  namesUnmade?: string;
}

/**
 * What tells a list step whether its page may have left a record to another: the page size, where
 * the answer counts all records (`total`), and where it says whether a next page follows (`next`).
 */
export interface PageRule {
  pageSize?: number;
  total?: string;
  next?: NextPage;
}

/**
 * Where a list's answer says whether a page follows this one: a flag (`has_more`, `hasNextPage`) and
 * the next page's cursor or URL, which the last page leaves null or empty (one left out says nothing).
 */
export interface NextPage {
  flag?: string;
  cursors?: string[];
}

/** How a list step finds the record a step of its scenario made (`lists`, `unlists`). */
export interface ListRule extends PageRule {
  items: string;
  idField: string;
  /** Where in each item the record is, when not the item itself (`/user`). */
  record?: string;
  about: number;
  member?: true;
}

/** What the stateful rules expect of a step. */
export type StatefulRule =
  | { rule: 'duplicate'; status: string; example: string }
  | { rule: 'merged'; status: string; example: string; intoStep: number }
  | { rule: 'conflict'; status: string; example: string }
  /** `id`: the made-up id sent, which no create of the run may have returned when it goes out. */
  | { rule: 'unknown-id'; status: string; id: string }
  /** The record (at `record` in the answer) shows these values (by JSON pointer into it), which an earlier step wrote. */
  | { rule: 'shows'; record: string; values: Record<string, unknown>; after: string }
  /**
   * The list (items at `items`) holds the record the step `about` made (with `member`: added to the
   * members the list shows), by its `idField` (in each item's object at `record`, where an item
   * holds it there: a membership's `/user`); a page of
   * `pageSize` items (0: of any size) may be full and have left it for another page, unless the count
   * of every record the list holds (at `total`) says the page holds them all, or the answer says no
   * page follows (`next`); an empty page is full only where the answer says one follows.
   */
  | ({ rule: 'lists' } & ListRule)
  /**
   * The list no longer holds the record the step `about` made (it was deleted, or with `member`
   * taken out of the members the list shows); a full page proves nothing.
   */
  | ({ rule: 'unlists' } & ListRule)
  /** The record the step `about` made was deleted: this request gets the documented not-found answer. */
  | { rule: 'gone'; status: string; about: number }
  /** A new record gets an id none of the run's deleted records had. */
  | { rule: 'fresh-id'; record: string; idField: string; about: number }
  /** An add of one member answers, at `record`, the record the step `about` made (by its `idField`), not another. */
  | { rule: 'answers-member'; record: string; idField: string; about: number };

export interface TestCase {
  /** Position in the run's case list: results are reported in this order whatever the concurrency. */
  seq: number;
  operation: Operation;
  kind: CaseKind;
  /** A short human label: `negative: /name above maxLength 50`. */
  name: string;
  request: PlannedRequest;
  stateful?: StatefulRule;
  /** Set on the last request of a rate-limit burst: the one that must be throttled. */
  expectThrottle?: boolean;
  /**
   * A negative case whose only violations are of inferred rules (`x-inferred`): what it breaks.
   * Under the vendor's documented rules the request is valid, so its answer tests these assumptions.
   */
  assumptions?: Assumption[];
  /** A negative or header case: where its request breaks the document (a parameter's place, or the body). */
  broken?: 'path' | 'query' | 'header' | 'cookie' | 'body';
}

/** Requests that must run in order, later steps reading ids from earlier ones. */
export interface Scenario {
  name: string;
  steps: TestCase[];
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Bytes for multipart bodies; text otherwise. */
  body?: string | Uint8Array;
}

export interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text (capped); `json` is set when it parsed. */
  text: string;
  json?: { value: unknown };
}

/** A request that produced no usable response. */
export interface TransportError {
  reason: 'timeout' | 'connection' | 'too-large' | 'other';
  message: string;
  /** The request never reached the server (refused, no such host, no connection made in time). */
  unsent?: true;
  /** Status and headers when the response started but its body could not be read. */
  status?: number;
  headers?: Record<string, string>;
}

/** What the run knows about a throttled answer (the spec's x-rate-limit status) to a case. */
export interface ThrottleEvidence {
  /**
   * The requests on the case's credential that may have reached the server before this one within
   * the documented period (sent before its answer arrived), this one included.
   */
  possiblyEarlier: number;
  /** The credential is the run's own, made for this run: nothing else can have used its quota. */
  ownCredential: boolean;
  /** Retries after Retry-After that were still throttled, and the time spent waiting. */
  retries: number;
  waitedMs: number;
}

export interface Exchange {
  testCase: TestCase;
  request: SentRequest;
  response?: ReceivedResponse;
  error?: TransportError;
  /** The case could not be sent (a prerequisite step failed); every check is skipped. */
  notSent?: string;
  /** Ids of records this case's path carries that the run itself created. */
  usesCreatedId: boolean;
  /** The stored record a merge step was expected to merge into (its id), when known. */
  mergeTargetId?: unknown;
  /** The id of the record a lifecycle step is about (made by its `about` step), when known. */
  subjectId?: unknown;
  /**
   * The records the body names by reference (and its path) were named together by an earlier request
   * of the operation that was accepted: a server may refuse the repeat (a user already a member).
   */
  repeatsReferences?: true;
  /** Set when the answer carries the spec's rate-limit status and the case did not ask for it. */
  throttle?: ThrottleEvidence;
  /** When the (last) request was sent, epoch milliseconds, and how long until its answer was complete. */
  timing?: { startedAt: number; durationMs: number };
}

/** Which rules a check applies: every rule of the spec, or only the vendor's documented ones. */
export type Rules = 'all' | 'documented';

/** One thing wrong with an answer, as a value reporters render and group. */
export interface Failure {
  message: string;
  expected?: string;
  actual?: string;
  /** AJV errors as readable paths. */
  errors?: string[];
  /**
   * What makes two failures of one check the same fault (`status 500`, `/data/id: type`): the
   * report groups by it, never by message text.
   */
  key: string;
  /** The inferred rules the failure breaks, when it breaks only such rules. */
  assumptions?: Assumption[];
}

export type CheckOutcome = undefined | Failure | 'skip';

export interface CheckContext {
  spec: Spec;
  operation: Operation;
  testCase: TestCase;
  exchange: Exchange;
  request: SentRequest;
  response?: ReceivedResponse;
  error?: TransportError;
  /** The spec's response for the received status (exact, then `4XX`-style range, then `default`). */
  documented?: Response;
  validators: ValidatorCache;
  rules: Rules;
}

export type Check = (ctx: CheckContext) => CheckOutcome;

/** How an assumption fared in one exchange. */
export interface AssumptionEvidence {
  assumption: Assumption;
  verdict: 'confirmed' | 'refuted';
}

/** Read-only: a passed or not-applicable result is one object shared by every case (checks/evaluate.ts). */
export interface CheckResult {
  readonly check: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly failure?: Failure;
  /** Why it was skipped, for the summary and the JUnit file. */
  readonly reason?: string;
}

export interface CaseResult {
  exchange: Exchange;
  checks: CheckResult[];
  /** The assumptions this exchange confirmed or refuted. */
  assumptions: AssumptionEvidence[];
}

/**
 * An operation whose examples, boundaries, violations and scenario steps alone need more requests
 * than `--max-cases`: `needed` of them, `kept` planned (no random case), under `limit`.
 */
export interface OverBudget {
  operationId: string;
  needed: number;
  kept: number;
  limit: number;
}

/**
 * Foreseen before a run on a target holding others' records: the records one create's planned valid
 * requests make that no operation of the document can delete, which the run will leave there.
 */
export interface LeftBehind {
  operationId: string;
  records: number;
  reason: string;
  /** Its random bodies were not planned (each would be one more record left behind). */
  noRandom: boolean;
}
