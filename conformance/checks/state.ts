/**
 * The checks of stored state. `resource_availability`: ids the run created are usable, an id never
 * created and a deleted one get the documented not-found answer. `stateful_rules`: duplicates and
 * merges follow x-resource, and a record's lifecycle shows in what the server answers afterwards
 * (a read shows what was written, a list holds what was created and not what was deleted, a new
 * record never gets a deleted one's id).
 */
import { isObject } from '../../lib/json.js';
import { getPointer } from '../../lib/json-pointer.js';
import { answersGone, documentedResponse } from '../../lib/responses.js';
import { jsonEqual } from '../../lib/schema.js';
import type { Check, ListRule, NextPage, PageRule, StatefulRule } from '../types.js';
import { anchored, got, throttleState } from './support.js';

export const resourceAvailability: Check = (ctx) => {
  const { response, testCase, exchange } = ctx;
  if (!response || throttleState(ctx) === 'unjudged') return 'skip';
  const rule = testCase.stateful;
  if (rule?.rule === 'unknown-id' || rule?.rule === 'gone') {
    // `4XX`: the document names no not-found status (only `default` covers the errors, or a read's only
    // one is a 400); any refusal will do, or a body saying deleted.
    if (answersGone(ctx.operation, rule.status, response.status, response.json?.value, rule.rule === 'gone')) return;
    const what = rule.rule === 'gone' ? 'deleted record' : 'id never created';
    const status = rule.status === '4XX' ? 'a 4xx (the document names no not-found status)' : rule.status;
    return {
      message: `${what} answered ${response.status}`,
      expected: `${status} for ${rule.rule === 'gone' ? `the id of a record deleted in this run (${JSON.stringify(exchange.subjectId)})` : 'an id no create returned'}`,
      actual: got(response),
      key: `${rule.rule} ${response.status}`,
    };
  }
  if (!exchange.usesCreatedId || response.status !== 404) return exchange.usesCreatedId ? undefined : 'skip';
  // A request invalid in another part (an account id, a body, its credentials) may get the 404 as its
  // refusal: where an operation documents no other client error, that is how it must refuse. Only a valid
  // one blames the id.
  if (testCase.kind === 'negative' || testCase.kind === 'header' || testCase.kind === 'auth') return 'skip';
  // A path naming a made-up record beside the run's (a member id under a list it made) may name none.
  if (!anchored(testCase, ctx.spec)) return 'skip';
  // So may a body beside it (`POST /orgs/{made}/memberships {"user_id": "made-up"}`): where the
  // operation documents its 404, the answer may be for the body's record, not the path's.
  if (testCase.request.namesUnmade !== undefined && documentedResponse(ctx.operation, 404)) return 'skip';
  return {
    message: 'id created earlier in the run answered 404',
    expected: 'the id returned by the create to be usable',
    actual: got(response),
    key: 'created id 404',
  };
};

const NAMES = {
  duplicate: 'duplicate',
  merged: 'merge into the one matching record',
  conflict: 'merge keys matching two records',
} as const;

type StatusRule = Extract<StatefulRule, { status: string; example: string }>;

const hasStatus = (rule: StatefulRule): rule is StatusRule =>
  rule.rule === 'duplicate' || rule.rule === 'merged' || rule.rule === 'conflict';

function itemsOf(body: unknown, pointer: string): unknown[] | undefined {
  const items = getPointer(body, pointer);
  return Array.isArray(items) ? items : undefined;
}

/** Whether an item of `items` holds the record `id` names: by its `idField`, in the item or in its object at `record`. */
function holds(items: readonly unknown[], { idField, record = '' }: ListRule, id: unknown): boolean {
  return items.some((item) => {
    const held = getPointer(item, record);
    return isObject(held) && Object.hasOwn(held, idField) && String(held[idField]) === String(id);
  });
}

/** The id field as a list's items show it: `user/id` where each item holds the record in `user`. */
const itemField = ({ idField, record = '' }: ListRule): string => `${record}/${idField}`.slice(1);

/**
 * Whether the answer says a page follows this one (true), that none does (false), or nothing (undefined):
 * a flag (`has_more`), the next page's cursor or URL (null or empty on the last page: a client could
 * follow no other), an RFC 8288 `Link` header with `rel="next"`. Any word of a next page wins. A cursor
 * left out says nothing: a server may never fill an optional one and page otherwise.
 */
function pageFollows(body: unknown, headers: Record<string, string>, next: NextPage | undefined): boolean | undefined {
  if (/;\s*rel\s*=\s*"?([^"]*\s)?next[\s";,]/i.test(`${headers.link ?? ''};`)) return true;
  let says: boolean | undefined;
  if (next?.flag !== undefined) {
    const flag = getPointer(body, next.flag);
    if (flag === true) return true;
    if (flag === false) says = false;
  }
  for (const pointer of next?.cursors ?? []) {
    const cursor = getPointer(body, pointer);
    if (cursor === null || cursor === '') says = false;
    else if (cursor !== undefined) return true;
  }
  return says;
}

/**
 * Whether a page may have left a record to another. Not where the answer says no page follows (the
 * run asks the first page); always where it says one does. Otherwise where it is full (of a size the
 * run knows, or of any size but empty: a page with no items has left none out), and the list does not
 * count as few records as the page holds (`total` 2 beside 2 items is all of them).
 */
function mayBeElsewhere(
  body: unknown,
  headers: Record<string, string>,
  items: readonly unknown[],
  rule: PageRule,
): boolean {
  const follows = pageFollows(body, headers, rule.next);
  if (follows !== undefined) return follows;
  if (rule.pageSize === undefined || items.length < rule.pageSize || items.length === 0) return false;
  const total = rule.total === undefined ? undefined : getPointer(body, rule.total);
  return !(typeof total === 'number' && total <= items.length);
}

export const statefulRules: Check = (ctx) => {
  const { response, testCase, operation, exchange } = ctx;
  const rule = testCase.stateful;
  if (!rule || rule.rule === 'unknown-id' || rule.rule === 'gone' || !response || throttleState(ctx) === 'unjudged') {
    return 'skip';
  }
  if (hasStatus(rule)) {
    if (String(response.status) !== rule.status) {
      return {
        message: `${NAMES[rule.rule]} answered ${response.status}`,
        expected: `${rule.status} (${rule.example})`,
        actual: got(response),
        key: `${rule.rule} ${response.status}`,
      };
    }
    if (rule.rule === 'merged' && exchange.mergeTargetId !== undefined && operation.resource?.id) {
      const record = getPointer(response.json?.value, operation.resource.record);
      const id = getPointer(record, `/${operation.resource.id}`);
      if (id !== exchange.mergeTargetId) {
        return {
          message: 'merge returned a different record than the one that matched',
          expected: `${operation.resource.id} ${JSON.stringify(exchange.mergeTargetId)}`,
          actual: `${operation.resource.id} ${JSON.stringify(id)}`,
          key: 'merge target',
        };
      }
    }
    return;
  }
  // The lifecycle rules read a successful answer; a refusal is the outcome checks' to judge.
  if (response.status < 200 || response.status >= 300 || !response.json) return 'skip';
  const body = response.json.value;
  switch (rule.rule) {
    case 'shows': {
      const record = getPointer(body, rule.record);
      if (!isObject(record)) return 'skip';
      const wrong = Object.entries(rule.values).filter(([at, value]) => !jsonEqual(getPointer(record, at), value));
      if (wrong.length === 0) return;
      // `/properties/firstname` reads as `properties/firstname`, a top-level `/name` as `name`.
      const named = (at: string) => at.slice(1);
      return {
        message: `the record does not show what ${rule.after} wrote`,
        expected: wrong.map(([at, value]) => `${named(at)} ${JSON.stringify(value)}`).join(', '),
        actual: wrong.map(([at]) => `${named(at)} ${JSON.stringify(getPointer(record, at))}`).join(', '),
        key: `shows ${wrong.map(([at]) => named(at)).join(',')}`,
      };
    }
    case 'lists': {
      const items = itemsOf(body, rule.items);
      if (!items || exchange.subjectId === undefined) return 'skip';
      if (holds(items, rule, exchange.subjectId)) return;
      // A full page may have left it for a later one: only a page with room, or all, proves it missing.
      if (mayBeElsewhere(body, response.headers, items, rule)) return 'skip';
      return {
        message: rule.member
          ? 'the member list does not hold the record added in this run'
          : 'the list does not hold the record created in this run',
        expected: `an item with ${itemField(rule)} ${JSON.stringify(exchange.subjectId)}`,
        actual: `${items.length} items without it`,
        key: rule.member ? 'members miss added' : 'list misses created',
      };
    }
    case 'unlists': {
      const items = itemsOf(body, rule.items);
      if (!items || exchange.subjectId === undefined) return 'skip';
      if (!holds(items, rule, exchange.subjectId)) {
        // Not on a full page is not proof: the record may be on a later one.
        return mayBeElsewhere(body, response.headers, items, rule) ? 'skip' : undefined;
      }
      return {
        message: rule.member
          ? 'the member list still holds a record removed in this run'
          : 'the list still holds a record deleted in this run',
        expected: `no item with ${itemField(rule)} ${JSON.stringify(exchange.subjectId)}`,
        actual: `an item with ${itemField(rule)} ${JSON.stringify(exchange.subjectId)}`,
        key: rule.member ? 'members hold removed' : 'list holds deleted',
      };
    }
    case 'answers-member': {
      const id = getPointer(getPointer(body, rule.record), `/${rule.idField}`);
      if (id === undefined || id === null || exchange.subjectId === undefined) return 'skip';
      if (String(id) === String(exchange.subjectId)) return;
      return {
        message: 'the add answered another record than the member it added',
        expected: `${rule.idField} ${JSON.stringify(exchange.subjectId)} (the record added)`,
        actual: `${rule.idField} ${JSON.stringify(id)}`,
        key: 'add answers other record',
      };
    }
    case 'fresh-id': {
      const id = getPointer(getPointer(body, rule.record), `/${rule.idField}`);
      if (id === undefined || exchange.subjectId === undefined || String(id) !== String(exchange.subjectId)) return;
      return {
        message: 'a new record got the id of a record deleted in this run',
        expected: `an id other than ${JSON.stringify(exchange.subjectId)}`,
        actual: `${rule.idField} ${JSON.stringify(id)}`,
        key: 'id reused',
      };
    }
  }
};
