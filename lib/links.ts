/**
 * `links` read the other way round: for each target operation, which of its parameters a link
 * fills, and from which source operation's successful response. That is how both the mock (which
 * path parameter of an update carries the id a create handed out) and the runner (which created id
 * to send to a later operation) know where ids go.
 */
import { isSuccessStatus } from './responses.js';
import { bulkIdsParameter, memberships, type RestCollection, restCollections, templateKey } from './rest-shape.js';
import type { Operation, Parameter, Spec } from './spec.js';

export interface LinkedParameter {
  /** The target operation's parameter name, without a location qualifier (`contactGroupId`). */
  parameter: string;
  /** Where the target takes it: from the qualifier (`path.id`) or the target's own parameter list; undefined when neither says. */
  in?: Parameter['in'];
  /** The operation whose 2xx response the link is on (typically the create). */
  sourceOperationId: string;
  /** The status of that response (`201`, `2XX`). */
  sourceStatus: string;
  /** The link's name in the response. */
  link: string;
  /** The value as written: a runtime expression such as `$response.body#/id`, or a constant. */
  expression: string;
  /** Read from the REST shape (`POST /things` -> `/things/{id}`), not written as a link. */
  inferred?: boolean;
  /**
   * The parameter names the record the target's own record is under (`contact_id` of
   * `/contacts/{contact_id}/notes`), not the one it acts on.
   */
  parent?: boolean;
  /**
   * For `$response.body#/json/pointer` expressions: the RFC 6901 pointer into the source's
   * response body (`/id`; `''` for `$response.body` itself). Undefined for any other expression.
   */
  pointer?: string;
}

const LOCATIONS = new Set<string>(['path', 'query', 'header', 'cookie']);

/** `$response.body#/id` -> `/id`, `$response.body` -> `''`; undefined for other expressions or a malformed pointer. */
export function responseBodyPointer(expression: string): string | undefined {
  const match = /^\$response\.body(?:#(.*))?$/.exec(expression.trim());
  if (!match) return undefined;
  const pointer = match[1] ?? '';
  return pointer === '' || pointer.startsWith('/') ? pointer : undefined;
}

/** An unqualified name: a path parameter first (links mostly fill those), then any other; header names ignore case. */
function locationOf(parameters: readonly Parameter[], name: string): Parameter['in'] | undefined {
  const lower = name.toLowerCase();
  return (
    parameters.find((p) => p.in === 'path' && p.name === name) ??
    parameters.find((p) => p.name === name) ??
    parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === lower)
  )?.in;
}

const cache = new WeakMap<Spec, ReadonlyMap<string, readonly LinkedParameter[]>>();

/**
 * Target operationId -> the parameters links on 2xx responses fill, in document order (source
 * operation, response, link, parameter). A parameter fed by several links appears once per link.
 * Computed once per loaded spec.
 */
export function linkedParameters(spec: Spec): ReadonlyMap<string, readonly LinkedParameter[]> {
  const cached = cache.get(spec);
  if (cached) return cached;
  const byTarget = new Map<string, LinkedParameter[]>();
  const operations = new Map(spec.operations.map((op) => [op.operationId, op]));
  for (const source of spec.operations) {
    for (const response of source.responses) {
      if (!isSuccessStatus(response.status)) continue;
      for (const link of response.links) {
        const target = operations.get(link.operationId);
        for (const [key, expression] of Object.entries(link.parameters)) {
          const dot = key.indexOf('.');
          const qualifier = dot > 0 ? key.slice(0, dot) : undefined;
          const qualified = qualifier !== undefined && LOCATIONS.has(qualifier);
          const parameter = qualified ? key.slice(dot + 1) : key;
          const location = qualified ? (qualifier as Parameter['in']) : locationOf(target?.parameters ?? [], parameter);
          const pointer = responseBodyPointer(expression);
          const entry: LinkedParameter = {
            parameter,
            ...(location !== undefined ? { in: location } : {}),
            sourceOperationId: source.operationId,
            sourceStatus: response.status,
            link: link.name,
            expression,
            ...(pointer !== undefined ? { pointer } : {}),
          };
          const list = byTarget.get(link.operationId);
          if (list) list.push(entry);
          else byTarget.set(link.operationId, [entry]);
        }
      }
    }
  }
  /** A REST-shape link, unless a link of the document already fills the parameter. */
  const inferred = (
    collection: RestCollection,
    operation: Operation,
    parameter: string,
    parent: boolean,
    location: 'path' | 'query' = 'path',
  ) => {
    if (byTarget.get(operation.operationId)?.some((l) => l.parameter === parameter)) return;
    const entry: LinkedParameter = {
      parameter,
      in: location,
      sourceOperationId: collection.create.operationId,
      sourceStatus: collection.status,
      link: 'rest-shape',
      ...(collection.idPointer !== undefined
        ? { expression: `$response.body#${collection.idPointer}`, pointer: collection.idPointer }
        : collection.sentKey !== undefined
          ? { expression: `$request.body#${collection.sentKey}` }
          : { expression: collection.location!.expression }),
      inferred: true,
      ...(parent ? { parent: true } : {}),
    };
    const list = byTarget.get(operation.operationId);
    if (list) list.push(entry);
    else byTarget.set(operation.operationId, [entry]);
  };
  for (const collection of restCollections(spec)) {
    if (collection.namedOtherwise) continue;
    if (collection.idPointer === undefined && collection.sentKey === undefined && !collection.location) continue;
    // Where no link fills an item operation's id, the REST shape does: from its collection's create.
    for (const { operation, idParameter } of collection.items) inferred(collection, operation, idParameter, false);
    // A bulk delete on the collection's path that lists ids in its query is fed by the same create.
    for (const operation of spec.operations) {
      const ids =
        templateKey(operation.path) === templateKey(collection.path) ? bulkIdsParameter(operation) : undefined;
      if (ids !== undefined) inferred(collection, operation, ids, false, 'query');
    }
    // A collection nested under its records (`/contacts/{contact_id}/notes`, or `/teams/{id}/members`
    // of teams made at `/orgs/{org}/teams`) is fed by the same create.
    for (const path of [collection.path, ...(collection.flatPath !== undefined ? [collection.flatPath] : [])]) {
      const prefix = templateKey(path);
      const lead = prefix === '/' ? 1 : prefix.split('/').length;
      for (const operation of spec.operations) {
        // Segments line up one for one: the prefix's parameters may have other names here.
        const segments = operation.path.split('/');
        if (templateKey(segments.slice(0, lead).join('/') || '/') !== prefix) continue;
        const [segment, ...rest] = segments.slice(lead);
        const parameter = /^\{([^}]+)\}$/.exec(segment ?? '')?.[1];
        if (parameter !== undefined && rest.length > 0) inferred(collection, operation, parameter, true);
      }
    }
  }
  // The member a membership's path names (`userId` of `/groups/{groupId}/users/{userId}`) is one the
  // member collection's create made: its holder is fed above, as a parent.
  for (const shape of memberships(spec)) inferred(shape.member, shape.operation, shape.memberParameter, false);
  cache.set(spec, byTarget);
  return byTarget;
}
