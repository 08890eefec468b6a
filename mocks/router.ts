/**
 * Maps a request path to an API (by its prefix) and then to one of its operations (by the spec's
 * path templates), so that Prism is handed exactly one operation and state knows the path ids.
 */
import type { Operation } from '../lib/spec.js';

export interface Route {
  operation: Operation;
  pattern: RegExp;
  parameterNames: string[];
}

export type RouteMatch =
  | {
      kind: 'operation';
      operation: Operation;
      /** As matched in the URL: still percent-encoded. */
      rawPathParameters: Record<string, string>;
      pathParameters: Record<string, string>;
    }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

export function compileRoutes(operations: readonly Operation[]): Route[] {
  return operations.map((operation) => {
    const parameterNames: string[] = [];
    const source = operation.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        parameterNames.push(name);
        return '([^/]+)';
      })
      .join('');
    return { operation, pattern: new RegExp(`^${source}/?$`), parameterNames };
  });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.operation.method !== method) {
      allowed.push(route.operation.method.toUpperCase());
      continue;
    }
    const rawPathParameters = Object.fromEntries(route.parameterNames.map((name, i) => [name, match[i + 1]!]));
    const pathParameters = Object.fromEntries(route.parameterNames.map((name, i) => [name, decode(match[i + 1]!)]));
    return { kind: 'operation', operation: route.operation, rawPathParameters, pathParameters };
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}

/** `bigchange-contact-groups.yaml` -> `bigchange`: the first word of the file name names the API. */
export function prefixOf(specName: string): string {
  return specName.split('-')[0]!.toLowerCase();
}
