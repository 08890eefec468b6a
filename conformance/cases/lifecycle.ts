/**
 * A record's whole life, per collection of the spec's resource model (x-resource, else the REST
 * shape): create -> read -> update -> read -> list holds it -> delete -> read is not found -> list
 * does not hold it -> a new record gets a new id. Each step uses what the collection has; ids
 * travel from the create's answer to where each operation takes them (path, query or body).
 */

import { sampleValue, UnsatisfiableSchemaError } from '../../lib/generators/values.js';
import { isObject, type JsonObject } from '../../lib/json.js';
import { appendPointer, deletePointer, escapeToken, getPointer, parsePointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { PAGE_MOVE, PAGE_SIZE } from '../../lib/paging.js';
import {
  createdIdExpression,
  createdKeyExpression,
  expectedNotFound,
  pathMemberFilter,
  type ResourceBinding,
  resourceModel,
  schemaAt,
  storedParents,
} from '../../lib/resources.js';
import { flatten, mainType } from '../../lib/schema.js';
import type { Operation } from '../../lib/spec.js';
import type { LinkedValue, NextPage, PlannedRequest, StatefulRule, TestCase } from '../types.js';
import { type BuildContext, bodyMedia, CannotTest, isValid } from './context.js';
import { writtenNamesOthers } from './others-records.js';
import { type Draft, validBody } from './positive.js';
import {
  alignParent,
  baseRequest,
  bulkIds,
  fewestIds,
  payload,
  referringFirst,
  validAsSent,
  withBody,
} from './request.js';
import type { ScenarioDraft } from './stateful.js';
import { recordIn, scopesOf, stampTexts, textLeaves } from './uniqueness.js';

interface Collection {
  create?: [Operation, ResourceBinding];
  read?: [Operation, ResourceBinding];
  update?: [Operation, ResourceBinding];
  /** A second write of the record by another method (Mailchimp's member PUT beside its PATCH). */
  rewrite?: [Operation, ResourceBinding];
  list?: [Operation, ResourceBinding];
  delete?: [Operation, ResourceBinding];
}

function collections(ctx: BuildContext): Map<string, Collection> {
  const model = resourceModel(ctx.spec);
  const byName = new Map<string, Collection>();
  for (const operation of ctx.spec.operations) {
    const binding = model.get(operation.operationId);
    if (!binding) continue;
    const entry = byName.get(binding.resource.collection) ?? {};
    const action = binding.resource.action;
    const slot = action === 'replace' ? 'update' : action;
    // A delete of one record by its id is preferred to a bulk one (a list of ids in the body), and a
    // bulk one that must name more than one record deletes no single record at all.
    const bulk = (held: [Operation, ResourceBinding] | undefined) =>
      held !== undefined && (held[1].resource.idsPointer !== undefined || held[1].resource.idsParameter !== undefined);
    const { idsPointer } = binding.resource;
    if (idsPointer !== undefined && fewestIds(operation, idsPointer) > 1) continue;
    // A holder's members are not the whole collection: that list is the membership's to follow.
    if (pathMemberFilter(operation, binding)) continue;
    if (
      (slot === 'create' || slot === 'read' || slot === 'update' || slot === 'list' || slot === 'delete') &&
      (!entry[slot] || (slot === 'delete' && bulk(entry.delete) && !bulk([operation, binding])))
    ) {
      entry[slot] = [operation, binding];
    } else if (slot === 'update' && !entry.rewrite && entry.update?.[0].method !== operation.method) {
      entry.rewrite = [operation, binding];
    }
    byName.set(binding.resource.collection, entry);
  }
  // Records a create under a parent's record makes for a collection at the top are read, changed and
  // deleted there where nothing under the parent does (and listed there where nothing lists them under it).
  const tops = new Map<string, string>();
  for (const binding of model.values())
    if (binding.sameRecordsAs !== undefined) tops.set(binding.resource.collection, binding.sameRecordsAs);
  for (const [name, top] of tops) {
    const entry = byName.get(name);
    const keeper = byName.get(top);
    if (!entry || !keeper) continue;
    if (!entry.update && keeper.update) {
      entry.update = keeper.update;
      if (keeper.rewrite) entry.rewrite = keeper.rewrite;
    }
    entry.read ??= keeper.read;
    entry.list ??= keeper.list;
    entry.delete ??= keeper.delete;
  }
  return byName;
}

/** Puts the created id where the operation takes it: its id parameter (path or query) or its body. */
function placeId(
  request: PlannedRequest,
  operation: Operation,
  binding: ResourceBinding,
  linked: LinkedValue,
): boolean {
  if (binding.resource.idPointer !== undefined) {
    request.bodyId = { pointer: binding.resource.idPointer, linked };
    return true;
  }
  if (binding.resource.idsPointer !== undefined) {
    request.bodyRefs = [bulkIds(operation, binding.resource.idsPointer, linked)];
    return true;
  }
  const name = binding.idParameter;
  const parameter = operation.parameters.find((p) => p.name === name && (p.in === 'path' || p.in === 'query'));
  if (!parameter) return false;
  if (parameter.in === 'path') request.pathParams[parameter.name] = linked;
  else request.query[parameter.name] = linked;
  return true;
}

/** The text values of `body` that the record schema shows, by JSON pointer, to compare after a read. */
function shownStrings(
  body: unknown,
  record: JsonSchema | undefined,
  skip: string | undefined,
  key?: string,
  respell = false,
): JsonObject {
  const leaves = textLeaves(body, record, skip, false, respell).filter(
    ([pointer]) => key === undefined || pointer !== `/${escapeToken(key)}`,
  );
  return Object.fromEntries(leaves.map(([pointer, value]) => [pointer, value]));
}

/**
 * The body with each text value made its own (a stamp over its tail, its length kept): the create and
 * the update write different values, so a read proves the update was kept, and two records of the run
 * never share a name a server may hold unique.
 */
function stamped(ctx: BuildContext, operation: Operation, body: unknown): unknown {
  const schema = bodyMedia(operation)?.schema;
  if (!schema) return body;
  const shown = resourceModel(ctx.spec).get(operation.operationId)?.recordSchema;
  const copy = stampTexts(body, schema, ctx.stamps, recordOf(ctx, operation), scopesOf(ctx.spec), shown);
  return copy === body || isValid(ctx, schema, copy) ? copy : body;
}

/**
 * What a step that writes the record sends: a valid body with texts of its own, every writable
 * property where the fewest required (Stripe's and Brevo's `{}`: all optional) would write nothing a
 * read could show.
 */
/** Where the operation's body and answers hold the record (`/contact` of `{"contact": {...}}`). */
const recordOf = (ctx: BuildContext, operation: Operation): string | undefined =>
  resourceModel(ctx.spec).get(operation.operationId)?.resource.record;

/** The record part of a body that wraps it: what a read shows of what was written. */
function recordPart(ctx: BuildContext, operation: Operation, body: unknown): unknown {
  const at = recordIn(body, recordOf(ctx, operation));
  return at === '' ? body : getPointer(body, at);
}

function written(ctx: BuildContext, operation: Operation): unknown {
  const media = bodyMedia(operation);
  const body = validBody(ctx, operation);
  const at = recordIn(body, recordOf(ctx, operation));
  const texts = media ? textLeaves(getPointer(body, at), at === '' ? media.schema : schemaAt(media.schema, at)) : [];
  if (!media || texts.length > 0) return stamped(ctx, operation, ownOnly(ctx, operation, body));
  const full = sampleValue(media.schema, ctx.seed, true);
  // On a target holding others' records, a full body naming one (an association's `to.id`) would
  // hold the whole lifecycle back: the required members write the record just as well.
  const others = ctx.othersRecords && writtenNamesOthers(operation, ctx.spec, full) !== undefined;
  const chosen = !others && validAsSent(ctx, operation, full) ? validBody(ctx, operation, full) : body;
  return stamped(ctx, operation, ownOnly(ctx, operation, chosen));
}

/**
 * On a target holding others' records, the body without the members that name one (an upsert's
 * `Contacts[].ContactID`, an owner's id), where it stays valid without them: the lifecycle then
 * writes a record of the run's own instead of being held back whole.
 */
function ownOnly(ctx: BuildContext, operation: Operation, body: unknown): unknown {
  const schema = bodyMedia(operation)?.schema;
  if (!ctx.othersRecords || !schema) return body;
  let value = body;
  for (let tries = 0; tries < 8; tries++) {
    const at = writtenNamesOthers(operation, ctx.spec, value);
    if (at === undefined) return value;
    const next = structuredClone(value);
    deletePointer(next, at);
    if (!isValid(ctx, schema, next)) return value;
    value = next;
  }
  return value;
}

function step(
  operation: Operation,
  name: string,
  request: PlannedRequest,
  stateful?: StatefulRule,
  kind: Draft['kind'] = 'positive',
): Draft {
  return { operation, kind, name: `lifecycle: ${name}`, request, ...(stateful ? { stateful } : {}) };
}

/** A request of the operation carrying the created id and a valid body. */
function aimed(
  ctx: BuildContext,
  [operation, binding]: [Operation, ResourceBinding],
  linked: LinkedValue,
  body?: unknown,
) {
  const request = withBody(
    baseRequest(ctx, operation),
    bodyMedia(operation) ? payload(operation, body ?? validBody(ctx, operation)) : undefined,
  );
  return placeId(request, operation, binding, linked) ? request : undefined;
}

/**
 * The status an operation answers for a record deleted before (`4XX` where only `default` documents its
 * errors). One that documents no error at all has no status a deleted record could get: no step asks.
 */
function goneStatus([operation, binding]: [Operation, ResourceBinding]): string | undefined {
  return expectedNotFound(operation, binding);
}

/**
 * Where a list's answer counts all its records, when the runner may trust it to: declared, or named
 * for a total (`total`, `total_count`). An inferred bare `count` is as often the items on the page.
 */
function countOfAll(binding: ResourceBinding): string | undefined {
  const total = binding.resource.paging?.total;
  if (total === undefined || !binding.inferred) return total;
  return /^count$/i.test(parsePointer(total).at(-1) ?? '') ? undefined : total;
}

/**
 * Where a list's answer says whether a page follows (a `has_more` flag, the next page's cursor or URL),
 * declared or found by name: the lifecycle asks the first page, so one saying none follows holds all.
 */
function nextPageOf(binding: ResourceBinding): NextPage | undefined {
  const flag = binding.resource.paging?.hasNextField;
  const cursors = [binding.resource.paging?.nextCursorField, binding.resource.pageUrls?.next].filter(
    (pointer): pointer is string => pointer !== undefined,
  );
  if (flag === undefined && cursors.length === 0) return undefined;
  return { ...(flag !== undefined ? { flag } : {}), ...(cursors.length > 0 ? { cursors } : {}) };
}

/**
 * The page size of a list whose paging no `x-resource` declares, as its parameters suggest: a page-size
 * parameter's default; 0 (any page may be full) when it pages by parameters whose page size is unknown.
 */
function undeclaredPageSize(list: Operation): number | undefined {
  const query = list.parameters.filter((p) => p.in === 'query');
  const size = query.find((p) => PAGE_SIZE.test(p.name));
  const byDefault = size ? flatten(size.schema).default : undefined;
  if (typeof byDefault === 'number' && byDefault > 0) return byDefault;
  return size || query.some((p) => PAGE_MOVE.test(p.name)) ? 0 : undefined;
}

/** The update's request and the values a read must show after it. */
function updateOf(
  ctx: BuildContext,
  update: [Operation, ResourceBinding],
  linked: LinkedValue,
  read?: ResourceBinding,
) {
  const [operation, binding] = update;
  const patch = binding.resource.patch ?? 'merge';
  const shownBy = read?.recordSchema;
  if (patch === 'json-patch') {
    const media = bodyMedia(operation);
    const field = Object.entries(flatten(shownBy ?? {}).properties ?? {}).find(
      ([name, schema]) =>
        name !== read?.idField &&
        name !== read?.keyField &&
        !schema.readOnly &&
        mainType(flatten(schema)) === 'string' &&
        !schema.format &&
        !schema.pattern &&
        !schema.enum,
    );
    if (!media || !field) return undefined;
    const value = `lifecycle ${ctx.stamps.take().text}`;
    const path = appendPointer('', field[0]);
    const body = [{ op: 'replace', path, value }];
    if (!isValid(ctx, media.schema, body)) return undefined;
    const request = aimed(ctx, update, linked, body);
    return request ? { request, shows: { [path]: value }, written: { [field[0]]: value } } : undefined;
  }
  if (patch === 'parameters') {
    const request = aimed(ctx, update, linked);
    const written: JsonObject = {};
    for (const [name, value] of Object.entries(request?.query ?? {})) {
      if (name !== binding.idParameter && 'value' in value) written[name] = value.value;
    }
    return request ? { request, shows: {}, written } : undefined;
  }
  const body = bodyMedia(operation) ? written(ctx, operation) : undefined;
  const shownPart = recordPart(ctx, operation, body);
  const request = aimed(ctx, update, linked, body);
  return request
    ? {
        request,
        // The attribute the path names the record by is written as the path has it (keyFromPath).
        // A record known by its REST shape shows what was sent under its own spelling, as the mock keeps it.
        shows: shownStrings(shownPart, shownBy, read?.idField, read?.keyField, read?.inferred === true),
        written: isObject(shownPart) ? shownPart : {},
      }
    : undefined;
}

/**
 * Reads of what lives under a deleted record (`GET /lists/{list_id}/members` after the list's delete),
 * each asked for its documented not-found answer: the members of a deleted list are gone with it.
 * Only reads whose path names nothing but that record, of the operations the run tests.
 */
function underDeleted(ctx: BuildContext, selected: readonly Operation[], name: string, linked: LinkedValue): Draft[] {
  const parents = storedParents(ctx.spec);
  return selected.flatMap((operation) => {
    const parent = parents.get(operation.operationId)?.find((p) => p.collection === name);
    const named = operation.parameters.filter((p) => p.in === 'path');
    if (operation.method !== 'get' || !parent || named.length !== 1 || named[0]!.name !== parent.parameter) return [];
    const request = withBody(baseRequest(ctx, operation), undefined);
    request.pathParams[parent.parameter] = linked;
    return [
      step(
        operation,
        `${operation.operationId} under the deleted record`,
        request,
        {
          rule: 'gone',
          status: parent.status,
          about: 0,
        },
        'stateful',
      ),
    ];
  });
}

export function lifecycleScenarios(ctx: BuildContext, selected: readonly Operation[]): ScenarioDraft[] {
  const scenarios: ScenarioDraft[] = [];
  const byName = collections(ctx);
  const attempts = [
    ...[...byName].map(
      ([name, collection]) =>
        () =>
          lifecycleOf(ctx, selected, name, collection),
    ),
    ...membershipChanges(ctx).map((adds) => () => membershipOf(ctx, selected, byName, adds)),
  ];
  for (const attempt of attempts) {
    try {
      const scenario = attempt();
      if (scenario) scenarios.push(scenario);
    } catch (error) {
      // A collection whose bodies no value satisfies, or the runner cannot write, is reported with its
      // operations' own cases.
      if (!(error instanceof UnsatisfiableSchemaError) && !(error instanceof CannotTest)) throw error;
    }
  }
  return scenarios;
}

/**
 * The add-members operations that name their members in a parameter (`PUT /groups/{groupId}/users/{userId}`)
 * or in a body's list of ids (`POST /organizations/{id}/members {"members": [...]}`).
 */
function membershipChanges(ctx: BuildContext): [Operation, ResourceBinding][] {
  const model = resourceModel(ctx.spec);
  return ctx.spec.operations.flatMap((operation) => {
    const binding = model.get(operation.operationId);
    const members = binding?.resource.members;
    return binding?.resource.action === 'add-members' &&
      (members?.parameter !== undefined || members?.ids !== undefined)
      ? [[operation, binding] as [Operation, ResourceBinding]]
      : [];
  });
}

/**
 * A membership's life: a member and a holder made, the member added, the holder's member list holds
 * it, the member removed, the list no longer holds it. A server that answers the change and keeps
 * nothing fails where the list misses the member. Members a body lists are named there by the one
 * member made; their changes name records the run made in their own cases too, so their life is
 * followed only where a list of the holder's members can show it.
 */
function membershipOf(
  ctx: BuildContext,
  selected: readonly Operation[],
  byName: Map<string, Collection>,
  [addOp, adds]: [Operation, ResourceBinding],
): ScenarioDraft | undefined {
  const members = adds.resource.members!;
  const holderName = adds.resource.collection;
  const memberParameter = members.parameter;
  const model = resourceModel(ctx.spec);
  const same = (binding: ResourceBinding | undefined) =>
    binding?.resource.collection === holderName &&
    binding.resource.members?.collection === members.collection &&
    binding.resource.members.parameter === memberParameter &&
    binding.resource.members.ids === members.ids;
  const removeOp = ctx.spec.operations.find((o) => {
    const binding = model.get(o.operationId);
    return binding?.resource.action === 'remove-members' && same(binding);
  });
  const listOp = ctx.spec.operations.find((o) => {
    const binding = model.get(o.operationId);
    return binding?.resource.collection === members.collection && pathMemberFilter(o, binding)?.memberOf === holderName;
  });
  const holderCreate = byName.get(holderName)?.create;
  const memberCreate = byName.get(members.collection)?.create;
  if (!holderCreate || !memberCreate || adds.idParameter === undefined) return undefined;
  if (![addOp, removeOp, listOp].some((op) => op !== undefined && selected.includes(op))) return undefined;
  // A body's list of ids names exactly the one member made, by the id its create answered.
  const ids = members.ids;
  if (ids !== undefined && (listOp === undefined || fewestIds(addOp, ids) > 1)) return undefined;
  const holderKey = createdKeyExpression(holderCreate[1]);
  const memberKey = ids === undefined ? createdKeyExpression(memberCreate[1]) : createdIdExpression(memberCreate[1]);
  const idField = memberCreate[1].idField;
  if (holderKey === undefined || memberKey === undefined) return undefined;
  const member: LinkedValue = { step: 0, sourceOperationId: memberCreate[0].operationId, expression: memberKey };
  const holder: LinkedValue = { step: 1, sourceOperationId: holderCreate[0].operationId, expression: holderKey };
  const made = (operation: Operation, what: string) => {
    const body = bodyMedia(operation) ? written(ctx, operation) : undefined;
    const request = withBody(baseRequest(ctx, operation), body === undefined ? undefined : payload(operation, body));
    return step(operation, `${operation.operationId} a ${what} record`, request);
  };
  const change = (operation: Operation, binding: ResourceBinding, verb: string) => {
    const listed = ids !== undefined && bodyMedia(operation) !== undefined;
    const request = withBody(
      baseRequest(ctx, operation),
      listed ? payload(operation, validBody(ctx, operation)) : undefined,
    );
    request.pathParams[binding.idParameter!] = holder;
    if (memberParameter !== undefined) request.pathParams[memberParameter] = member;
    else if (listed) request.bodyRefs = [bulkIds(operation, binding.resource.members!.ids!, member)];
    // An add answering the member's record must answer the one it added (the member made at step 0).
    const answered = binding.memberRecord;
    const rule: StatefulRule | undefined = answered && {
      rule: 'answers-member',
      record: answered.pointer,
      idField: answered.idField,
      about: 0,
    };
    return step(operation, `${operation.operationId} ${verb} the member`, request, rule);
  };
  const listing = (removed: boolean) => {
    if (!listOp || idField === undefined) return [];
    const binding = model.get(listOp.operationId)!;
    const filter = pathMemberFilter(listOp, binding)!;
    const request = withBody(baseRequest(ctx, listOp), undefined);
    request.pathParams[filter.parameter] = holder;
    const pageSize = binding.resource.paging ? binding.resource.paging.defaultSize : undeclaredPageSize(listOp);
    const total = countOfAll(binding);
    const next = nextPageOf(binding);
    const rule: StatefulRule = {
      rule: removed ? 'unlists' : 'lists',
      items: binding.resource.items ?? '',
      idField,
      ...(binding.itemRecord !== undefined ? { record: binding.itemRecord } : {}),
      about: 0,
      member: true,
      ...(pageSize !== undefined ? { pageSize } : {}),
      ...(total !== undefined ? { total } : {}),
      ...(next !== undefined ? { next } : {}),
    };
    return [step(listOp, `${listOp.operationId} ${removed ? 'without' : 'with'} the member`, request, rule)];
  };
  const steps: Draft[] = [
    made(memberCreate[0], members.collection),
    made(holderCreate[0], holderName),
    change(addOp, adds, 'adds'),
    ...listing(false),
  ];
  const removes = removeOp && model.get(removeOp.operationId);
  if (removeOp && removes?.idParameter !== undefined && (ids === undefined || fewestIds(removeOp, ids) <= 1))
    steps.push(change(removeOp, removes, 'removes'), ...listing(true));
  // Paths naming a tenant the records live in (`/{realm}/users`) name the one the holder was made in.
  for (const { operation, request } of steps)
    if (operation !== holderCreate[0]) alignParent(ctx, operation, request, holderCreate[0]);
  return { name: `the membership of a ${members.collection} record in a ${holderName} record`, steps };
}

function lifecycleOf(
  ctx: BuildContext,
  selected: readonly Operation[],
  name: string,
  collection: Collection,
): ScenarioDraft | undefined {
  {
    const { create, read, update, list, delete: remove } = collection;
    if (!create || (!read && !list && !remove && !update)) return undefined;
    const involved = [create, read, update, collection.rewrite, list, remove].some(
      (entry) => entry && selected.includes(entry[0]),
    );
    const [createOp, createBinding] = create;
    const idField = createBinding.idField;
    const expression = createdKeyExpression(createBinding);
    if (!involved || expression === undefined) return undefined;
    const linked: LinkedValue = { step: 0, sourceOperationId: createOp.operationId, expression };
    const body = bodyMedia(createOp) ? written(ctx, createOp) : undefined;
    const steps: Draft[] = [
      step(
        createOp,
        `${createOp.operationId} a ${name} record`,
        withBody(baseRequest(ctx, createOp), body === undefined ? undefined : payload(createOp, body)),
      ),
    ];
    const readStep = (after: string, values: JsonObject, gone = false) => {
      if (!read) return;
      const request = aimed(ctx, read, linked);
      if (!request) return;
      if (gone) {
        const status = goneStatus(read);
        if (status === undefined) return;
        steps.push(
          step(
            read[0],
            `${read[0].operationId} the deleted record`,
            request,
            { rule: 'gone', status, about: 0 },
            'stateful',
          ),
        );
      } else {
        const shows =
          Object.keys(values).length > 0
            ? { rule: 'shows' as const, record: read[1].resource.record, values, after }
            : undefined;
        steps.push(step(read[0], `${read[0].operationId} the record after ${after}`, request, shows));
      }
    };
    // Lists are searched, and a fresh record told apart, by the id the answers carry.
    const listStep = (deleted: boolean) => {
      if (!list || list[1].resource.items === undefined || idField === undefined) return;
      const [listOp, listBinding] = list;
      const request = withBody(baseRequest(ctx, listOp), undefined);
      // A list a link feeds with a created id (a filter by id) is asked about this record.
      for (const [parameter, value] of Object.entries(request.query)) {
        if ('sourceOperationId' in value && value.sourceOperationId === createOp.operationId)
          request.query[parameter] = linked;
      }
      const items = listBinding.resource.items!;
      // Paging and filters read from parameter names alone are the mock's guess: a server's list is
      // asked as its parameters' defaults leave it, and any page may be full.
      const declared = listBinding.inferred ? undefined : listBinding.resource;
      // A filter on a value the create wrote narrows the list to it, on the biggest page it allows: a
      // value other records share (a country) may fill a page without it.
      const filter = (declared?.filters ?? []).find(
        (f): f is Extract<typeof f, { field: string }> => 'field' in f && typeof current[f.field] === 'string',
      );
      let pageSize: number | undefined;
      if (filter) request.query[filter.parameter] = { value: current[filter.field] };
      if (declared?.paging?.size) {
        const parameter = listOp.parameters.find((p) => p.name === declared.paging!.size);
        const maximum = parameter ? flatten(parameter.schema).maximum : undefined;
        pageSize = Math.min(maximum ?? 100, 100);
        request.query[declared.paging.size] = { value: pageSize };
      } else pageSize = declared?.paging ? declared.paging.defaultSize : undeclaredPageSize(listOp);
      // The list's count of all its records tells a page holding them all from a full one.
      const total = countOfAll(listBinding);
      const next = nextPageOf(listBinding);
      const rule: StatefulRule = {
        rule: deleted ? 'unlists' : 'lists',
        items,
        idField,
        about: 0,
        ...(pageSize !== undefined ? { pageSize } : {}),
        ...(total !== undefined ? { total } : {}),
        ...(next !== undefined ? { next } : {}),
      };
      steps.push(step(listOp, `${listOp.operationId} ${deleted ? 'without' : 'with'} the record`, request, rule));
    };

    /** What the record holds now, as far as the run wrote it: filters are asked with these values. */
    const made = recordPart(ctx, createOp, body);
    const current: JsonObject = isObject(made) ? { ...made } : {};
    readStep('the create', shownStrings(made, read?.[1].recordSchema, idField, undefined, read?.[1].inferred === true));
    for (const write of [update, collection.rewrite]) {
      if (!write) continue;
      const made = updateOf(ctx, write, linked, read?.[1]);
      if (made) {
        steps.push(step(write[0], `${write[0].operationId} the record`, made.request));
        Object.assign(current, made.written);
        readStep(`the ${write[0].operationId}`, made.shows);
      }
    }
    listStep(false);
    if (remove) {
      const request = aimed(ctx, remove, linked);
      if (request) {
        steps.push(step(remove[0], `${remove[0].operationId} the record`, request));
        readStep('the delete', {}, true);
        listStep(true);
        steps.push(...underDeleted(ctx, selected, name, linked));
        if (update) {
          const again = aimed(ctx, update, linked);
          const status = goneStatus(update);
          if (again && status !== undefined)
            steps.push(
              step(
                update[0],
                `${update[0].operationId} the deleted record`,
                again,
                { rule: 'gone', status, about: 0 },
                'stateful',
              ),
            );
        }
        const fresh = bodyMedia(createOp) ? validBody(ctx, createOp) : undefined;
        if (idField !== undefined)
          steps.push(
            step(
              createOp,
              `${createOp.operationId} another record`,
              withBody(baseRequest(ctx, createOp), fresh === undefined ? undefined : payload(createOp, fresh)),
              {
                rule: 'fresh-id',
                record: createBinding.resource.record,
                idField,
                about: 0,
              },
            ),
          );
      }
    }
    if (steps.length < 2) return undefined;
    // A nested collection (`/contacts/{contactId}/notes`) is one parent's: every step names the create's.
    for (const { operation, request } of steps.slice(1)) alignParent(ctx, operation, request, createOp);
    return { name: `the life of a ${name} record`, steps };
  }
}

/** One collection's cleanup: what creates its records, where their ids are, and the delete to send. */
export interface CleanupPlan {
  collection: string;
  /** The operations that make records of the collection, and where their answers carry the id. */
  creates: { operationId: string; expression: string }[];
  /**
   * A delete of one record: its id is filled in from the `linked` placeholder at send time. `shared`:
   * the delete is the collection's at the top whose records these are too (`sameRecordsAs`).
   */
  remove?: { testCase: TestCase; linked: LinkedValue; notFound: string; shared?: true };
  /**
   * A read of one record, as `remove`: where the run read a record it deleted back (a first delete
   * that only deactivates), the cleanup reads each record after its delete and deletes it again.
   */
  read?: { testCase: TestCase; gone: string };
}

/**
 * The creates whose records no operation of the document deletes: the cleanup has no delete to send
 * for them (see cleanupPlans), so every record they make on a live target stays there. Makes no
 * request, so asking changes no value of the plan.
 */
export function undeletableCreates(ctx: BuildContext): Set<string> {
  const model = resourceModel(ctx.spec);
  const found = new Set<string>();
  for (const [name, collection] of collections(ctx)) {
    if (collection.delete) continue;
    for (const operation of ctx.spec.operations) {
      const binding = model.get(operation.operationId);
      if (binding?.resource.collection !== name || createdKeyExpression(binding) === undefined) continue;
      if (binding.resource.action === 'create' || binding.resource.action === 'copy') found.add(operation.operationId);
    }
  }
  return found;
}

export function cleanupPlans(ctx: BuildContext): CleanupPlan[] {
  const plans: CleanupPlan[] = [];
  const model = resourceModel(ctx.spec);
  for (const [name, collection] of collections(ctx)) {
    const creates: CleanupPlan['creates'] = [];
    for (const operation of ctx.spec.operations) {
      const binding = model.get(operation.operationId);
      const expression = binding && createdKeyExpression(binding);
      if (binding?.resource.collection !== name || expression === undefined) continue;
      if (binding.resource.action !== 'create' && binding.resource.action !== 'copy') continue;
      creates.push({ operationId: operation.operationId, expression });
    }
    if (creates.length === 0) continue;
    const plan: CleanupPlan = { collection: name, creates };
    if (collection.delete) {
      const linked: LinkedValue = { sourceOperationId: creates[0]!.operationId, expression: creates[0]!.expression };
      try {
        const request = aimed(ctx, collection.delete, linked);
        if (request) {
          plan.remove = {
            testCase: {
              seq: -1,
              operation: collection.delete[0],
              kind: 'positive',
              name: `cleanup: ${collection.delete[0].operationId}`,
              request,
            },
            linked,
            notFound: collection.delete[1].resource.notFound?.status ?? '404',
            ...(collection.delete[1].resource.collection !== name ? { shared: true as const } : {}),
          };
        }
      } catch (error) {
        if (!(error instanceof UnsatisfiableSchemaError)) throw error;
      }
    }
    const gone = collection.read && goneStatus(collection.read);
    if (plan.remove && collection.read && gone !== undefined) {
      let request: PlannedRequest | undefined;
      try {
        request = aimed(ctx, collection.read, plan.remove.linked);
      } catch (error) {
        if (!(error instanceof UnsatisfiableSchemaError)) throw error;
      }
      if (request) {
        const operation = collection.read[0];
        plan.read = {
          testCase: { seq: -1, operation, kind: 'positive', name: `cleanup: ${operation.operationId}`, request },
          gone,
        };
      }
    }
    plans.push(plan);
  }
  // A nested collection's records go before their parents': a server may refuse to delete a contact
  // that still has notes, or take the notes with it.
  const depth = (plan: CleanupPlan) => model.get(plan.creates[0]!.operationId)?.parentParameters?.length ?? 0;
  return referringFirst(
    ctx,
    plans.sort((a, b) => depth(b) - depth(a)),
    (plan) => plan.collection,
  );
}
