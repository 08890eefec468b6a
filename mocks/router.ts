/**
 * Maps a request path to an API (by its prefix) and then to one of its operations (by the spec's
 * path templates), so that Prism is handed exactly one operation and state knows the path ids.
 */
import { type Operation, pathKeyQuery, requestPath } from '../lib/spec.js';

export interface Route {
  operation: Operation;
  pattern: RegExp;
  parameterNames: string[];
  /** What the path key's `?` suffix fixes: the route matches only a request whose query has it. */
  query: [string, string][];
  /** Later routes of the same method and request path (`/conversations#stream` beside `/conversations`). */
  siblings: Route[];
}

export interface OperationMatch {
  operation: Operation;
  /** As matched in the URL: still percent-encoded. */
  rawPathParameters: Record<string, string>;
  pathParameters: Record<string, string>;
}

export type RouteMatch =
  | ({
      kind: 'operation';
      /** The other operations of this method and request path that match too, in the document's order. */
      alternatives: OperationMatch[];
    } & OperationMatch)
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

/** How concrete a path segment is: literal text, text with a template in it (`{id}.json`), a whole template. */
const LITERAL = 0;
const MIXED = 1;
const TEMPLATE = 2;

function segmentRanks(path: string): number[] {
  return path
    .split('/')
    .map((segment) => (!segment.includes('{') ? LITERAL : /^\{[^}]+\}$/.test(segment) ? TEMPLATE : MIXED));
}

/** Segment by segment: at the first difference the more concrete segment goes first. */
function byConcreteness(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Routes in the order they are tried: OpenAPI matches concrete paths before templated ones, so
 * `/emails/receiving` is tried before `/emails/{id}` whatever the document's order (which is kept
 * among equally concrete paths). Sorted once here, so matching stays one pass.
 */
export function compileRoutes(operations: readonly Operation[]): Route[] {
  const routes = operations.map((operation) => {
    const path = requestPath(operation.path);
    const parameterNames: string[] = [];
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        parameterNames.push(name);
        return '([^/]+)';
      })
      .join('');
    const query = pathKeyQuery(operation.path);
    const route: Route = { operation, pattern: new RegExp(`^${source}/?$`), parameterNames, query, siblings: [] };
    const key = `${operation.method} ${path.replace(/\{[^}]+\}/g, '{}')}?${new URLSearchParams(query).toString()}`;
    return { route, ranks: segmentRanks(path), key };
  });
  // Array.prototype.sort is stable: equally concrete paths keep the document's order, but one whose
  // key fixes a query (`/responses/{id}?beta=true`) goes before the same path without.
  routes.sort((a, b) => byConcreteness(a.ranks, b.ranks) || b.route.query.length - a.route.query.length);
  for (const [i, { route, key }] of routes.entries())
    route.siblings = routes.slice(i + 1).flatMap((other) => (other.key === key ? [other.route] : []));
  return routes.map(({ route }) => route);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const fixedQueryHolds = (route: Route, query: URLSearchParams): boolean =>
  route.query.every(([name, value]) => query.getAll(name).includes(value));

function operationMatch(route: Route, match: RegExpExecArray): OperationMatch {
  const rawPathParameters = Object.fromEntries(route.parameterNames.map((name, i) => [name, match[i + 1]!]));
  const pathParameters = Object.fromEntries(route.parameterNames.map((name, i) => [name, decode(match[i + 1]!)]));
  return { operation: route.operation, rawPathParameters, pathParameters };
}

/** The first route (in compileRoutes' order) whose template, fixed query and method match; else why none does. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
  query: URLSearchParams = new URLSearchParams(),
): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match || !fixedQueryHolds(route, query)) continue;
    if (route.operation.method !== method) {
      allowed.push(route.operation.method.toUpperCase());
      continue;
    }
    const alternatives = route.siblings.flatMap((sibling) => {
      const also = sibling.pattern.exec(path);
      return also && fixedQueryHolds(sibling, query) ? [operationMatch(sibling, also)] : [];
    });
    return { kind: 'operation', ...operationMatch(route, match), alternatives };
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}

/** `bigchange-contact-groups.yaml` -> `bigchange`: the first word of the file name names the API. */
export function prefixOf(specName: string): string {
  return specName.split('-')[0]!.toLowerCase();
}
