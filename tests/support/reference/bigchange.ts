/**
 * BigChange's contact groups, as its pages describe them: ASP.NET Core problem details for every
 * error, a create that answers only the new id, an update by id that answers 204, and a paged list
 * filtered by name prefix and by ids. BigChange documents no read of one group and no delete.
 */
import type { components, operations } from '../../../generated/bigchange-contact-groups.js';
import { formatAjvErrors } from '../../../lib/ajv-errors.js';
import {
  credentials,
  type Exchange,
  fieldOf,
  inAnyOf,
  integerId,
  pageOf,
  type Reply,
  type ServerState,
  type Vendor,
} from './core.js';

type Problem = components['schemas']['ProblemDetails'];
type ValidationProblem = components['schemas']['ValidationProblemDetails'];
type Item = components['schemas']['ContactGroupItem'];

export interface BigChangeGroup {
  id: number;
  /** Absent only when a documented-only server let a group be created without one. */
  name?: string;
}

export interface BigChangeStore {
  groups: Map<number, BigChangeGroup>;
  nextId: number;
}

export const newBigChangeStore = (): BigChangeStore => ({ groups: new Map(), nextId: 10453 });

/** The page size when the request names none: the page's example pages by 100. */
const DEFAULT_PAGE_SIZE = 100;

const PROBLEM = 'application/problem+json';
const TYPES: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
  401: 'https://tools.ietf.org/html/rfc9110#section-15.5.2',
  404: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
  422: 'https://tools.ietf.org/html/rfc9110#section-15.5.21',
};

export function bigchangeProblem(status: 400 | 401 | 404, title: string, detail: string): Reply {
  const body: Problem = { type: TYPES[status]!, title, status, detail };
  return { status, body, contentType: PROBLEM };
}

export function bigchangeValidation(errors: Record<string, string[]>): Reply {
  const body: ValidationProblem = {
    type: TYPES[422]!,
    title: 'One or more validation errors occurred.',
    status: 422,
    errors,
  };
  return { status: 422, body, contentType: PROBLEM };
}

function listContactGroups(ex: Exchange, server: ServerState): Reply {
  const query = ex.query as NonNullable<operations['listContactGroups']['parameters']['query']>;
  let groups = [...server.bigchange.groups.values()];
  // "Matches or starts with the value provided", compared as SQL Server's default collation does.
  if (query.name !== undefined && query.name !== '') {
    const prefix = query.name.toLowerCase();
    groups = groups.filter((g) => (g.name ?? '').toLowerCase().startsWith(prefix));
  }
  if (query.id !== undefined && query.id.length > 0) {
    const ids = new Set(query.id);
    groups = groups.filter((g) => ids.has(g.id));
  }
  groups.sort((a, b) =>
    query.sortBy === 'name' ? (a.name ?? '').localeCompare(b.name ?? '') || a.id - b.id : a.id - b.id,
  );
  if (query.direction === 'descending') groups.reverse();
  const pageNumber = query.pageNumber ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  const items: Item[] = pageOf(groups, pageNumber, pageSize, 1).map((g) => ({
    id: g.id,
    ...(g.name !== undefined ? { name: g.name } : {}),
  }));
  const body: operations['listContactGroups']['responses'][200]['content']['application/json'] = {
    items,
    pageNumber,
    pageSize,
    pageItemCount: items.length,
  };
  return { status: 200, body };
}

function createContactGroup(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as operations['createContactGroup']['requestBody']['content']['application/json'];
  const id = server.bigchange.nextId++;
  server.bigchange.groups.set(id, { id, ...(request.name !== undefined ? { name: request.name } : {}) });
  const body: operations['createContactGroup']['responses'][201]['content']['application/json'] = { id };
  return { status: 201, body };
}

function updateContactGroup(ex: Exchange, server: ServerState): Reply {
  const request = ex.body as operations['updateContactGroup']['requestBody']['content']['application/json'];
  const raw = ex.pathParams.contactGroupId ?? '';
  const id = integerId(raw);
  const stored = id === undefined ? undefined : server.bigchange.groups.get(id);
  if (!stored) return bigchangeProblem(404, 'Not Found', `Contact group ${raw} was not found.`);
  if (request.name !== undefined) stored.name = request.name;
  return { status: 204 };
}

export const bigchange: Vendor = {
  authenticate(ex) {
    const given = credentials(ex);
    if (given?.scheme === 'bearer') return undefined;
    return bigchangeProblem(
      401,
      'Unauthorized',
      given ? 'The bearer token is invalid or has expired.' : 'A bearer token is required.',
    );
  },
  parameterProblem(_ex, _server, [problem]) {
    const { parameter, raw } = problem!;
    if (parameter.in === 'header') {
      return bigchangeProblem(
        400,
        'Bad Request',
        raw === undefined
          ? `The ${parameter.name} header is required.`
          : `The ${parameter.name} header must be an integer.`,
      );
    }
    return bigchangeProblem(
      400,
      'Bad Request',
      raw === undefined
        ? `The ${parameter.name} parameter is required.`
        : `The value '${raw}' is not valid for ${parameter.name}.`,
    );
  },
  bodyProblem: (_ex, _server, reason) => bigchangeProblem(400, 'Bad Request', reason),
  validation(_ex, _server, errors) {
    const byField = new Map<string, typeof errors>();
    for (const error of errors) {
      const field = inAnyOf(error) && error.instancePath === '' ? '' : fieldOf(error);
      byField.set(field, [...(byField.get(field) ?? []), error]);
    }
    const out: Record<string, string[]> = {};
    for (const [field, list] of byField) {
      // ASP.NET Core names the property as declared (Name) and reports each rule once.
      const label = field === 'name' ? 'Name' : field;
      out[field || 'body'] = [
        ...new Set(
          list.map((e) => {
            if (inAnyOf(e)) return 'At least one optional value must be provided.';
            if (e.keyword === 'required' || e.keyword === 'minLength') return `The ${label} field is required.`;
            return `The ${label || 'body'} value is invalid: ${formatAjvErrors([e])[0]}`;
          }),
        ),
      ];
    }
    return bigchangeValidation(out);
  },
  operations: { listContactGroups, createContactGroup, updateContactGroup },
  records: (server) => [...server.bigchange.groups.keys()].map((id) => ({ collection: 'contactGroups', id })),
};
