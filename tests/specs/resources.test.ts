// Every operation's `x-resource` (specs/README.md, the documentation of record) and every link agree
// with the rest of its spec: the parameters, pointers, statuses and examples they name exist, the
// record and item pointers find records in the documented examples, and every create links its id
// to every operation that takes it as a parameter. Read from the dereferenced document, so the test
// does not depend on which keys lib/extensions.ts reads yet.
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_URL_POINTERS, PAGING_POINTERS } from '../../lib/extensions.js';
import { getPointer as get, parsePointer } from '../../lib/json-pointer.js';
import type { Operation, Spec } from '../../lib/spec.js';
import { loadAll, SPEC_FILES, type SpecKey } from '../support-specs/specs.js';

type Json = Record<string, unknown>;

const ACTIONS = [
  'create',
  'read',
  'list',
  'update',
  'replace',
  'delete',
  'copy',
  'add-members',
  'remove-members',
] as const;
type Action = (typeof ACTIONS)[number];
/** Actions that name a stored record by its id (and so take the id a create returned). */
const BY_ID: Action[] = ['read', 'update', 'replace', 'delete', 'copy', 'add-members', 'remove-members'];
const ID_TAKERS = BY_ID;

let specs: Record<SpecKey, Spec>;
beforeAll(async () => {
  specs = await loadAll();
});

function raw(spec: Spec, op: Operation): Json {
  return (spec.document.paths as Record<string, Record<string, Json>>)[op.path]?.[op.method] ?? {};
}

const resourceOf = (spec: Spec, op: Operation): Json | undefined => raw(spec, op)['x-resource'] as Json | undefined;

/** The first example value of a response's first media type, or undefined. */
function firstExample(op: Operation, status: string): unknown {
  const response = op.responses.find((r) => r.status === status);
  return response?.content[0]?.examples[0]?.value;
}

function successWithBody(op: Operation) {
  return op.responses.find((r) => /^2/.test(r.status) && r.content.length > 0);
}

/** The property names a schema (with its allOf members) declares. */
function propertyNames(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Json;
  return [
    ...Object.keys((s.properties as Json | undefined) ?? {}),
    ...((s.allOf as unknown[] | undefined) ?? []).flatMap(propertyNames),
  ];
}

/** The schema of the value at a pointer into an instance of `schema`, through properties (and allOf members). */
function schemaAt(schema: unknown, pointer: string): Json | undefined {
  let current = schema as Json | undefined;
  for (const token of parsePointer(pointer)) {
    const members = [current, ...(((current?.allOf as Json[] | undefined) ?? []) as Json[])];
    current = members.map((m) => (m?.properties as Json | undefined)?.[token] as Json | undefined).find(Boolean);
  }
  return current;
}

function resolves(value: unknown, pointer: string): boolean {
  try {
    return get(value, pointer) !== undefined;
  } catch {
    return false;
  }
}

/** `{status, example}` names an example documented under that status. */
function documented(op: Operation, ref: unknown): string | undefined {
  const { status, example } = (ref ?? {}) as { status?: string; example?: string };
  const response = op.responses.find((r) => r.status === status);
  if (!response) return `${op.operationId} documents no ${status}`;
  const names = response.content.flatMap((m) => m.examples.map((e) => e.name));
  return names.includes(String(example)) ? undefined : `${op.operationId} ${status} has no example ${example}`;
}

/** The parameter an operation takes its record's id in: idParameter, else its only path parameter. */
function idParameterOf(op: Operation, resource: Json): string | undefined {
  if (typeof resource.idParameter === 'string') return resource.idParameter;
  if (typeof resource.idPointer === 'string') return undefined;
  const path = op.parameters.filter((p) => p.in === 'path');
  return path.length === 1 ? path[0]?.name : undefined;
}

function problems(spec: Spec): string[] {
  const found: string[] = [];
  const byId = new Map(spec.operations.map((op) => [op.operationId, op]));
  for (const op of spec.operations) {
    const where = op.operationId;
    const resource = resourceOf(spec, op);
    if (!resource) {
      found.push(`${where}: no x-resource`);
      continue;
    }
    const action = resource.action as Action;
    if (!ACTIONS.includes(action)) found.push(`${where}: unknown action ${String(action)}`);
    if (typeof resource.collection !== 'string' || resource.collection === '') found.push(`${where}: no collection`);
    const names = op.parameters.map((p) => p.name);
    const success = successWithBody(op);
    const example = success ? firstExample(op, success.status) : undefined;

    if (BY_ID.includes(action)) {
      const idParameter = idParameterOf(op, resource);
      if (typeof resource.idPointer === 'string') {
        const bodyExample = op.requestBody?.content[0]?.examples[0]?.value;
        if (!resolves(bodyExample, resource.idPointer)) found.push(`${where}: idPointer not in the request example`);
        if (!op.requestBody?.required) found.push(`${where}: idPointer needs a required body`);
      } else if (!idParameter || !names.includes(idParameter)) {
        found.push(`${where}: id parameter ${String(idParameter)} is not a parameter`);
      }
      const notFound = (resource.notFound as Json | undefined) ?? { status: '404' };
      const status = String(notFound.status ?? '404');
      const named = notFound.example ?? firstExampleName(op, status);
      const problem = documented(op, { status, example: named });
      if (problem) found.push(`${where}: notFound: ${problem}`);
    }
    if (typeof resource.record === 'string' && example !== undefined && !resolves(example, resource.record))
      found.push(`${where}: record ${resource.record} not in the ${success?.status} example`);
    if (['create', 'copy'].includes(action)) {
      const record = get(example, String(resource.record ?? '')) as Json | undefined;
      if (typeof resource.id !== 'string' || record?.[resource.id] === undefined)
        found.push(`${where}: id ${String(resource.id)} not in the created record`);
    }
    if (action === 'list') {
      if (typeof resource.items !== 'string' || !Array.isArray(get(example, resource.items)))
        found.push(`${where}: items ${String(resource.items)} is not an array in the example`);
      const paging = (resource.paging ?? {}) as Json;
      for (const key of ['page', 'size', 'offset'] as const) {
        const name = paging[key];
        if (name !== undefined && !names.includes(String(name))) found.push(`${where}: paging.${key} ${name}`);
      }
      for (const key of PAGING_POINTERS) {
        const pointer = paging[key];
        if (pointer !== undefined && !resolves(example, String(pointer)))
          found.push(`${where}: paging.${key} ${pointer} not in the example`);
      }
      const pageUrls = (resource.pageUrls ?? {}) as Json;
      for (const key of PAGE_URL_POINTERS) {
        const pointer = pageUrls[key];
        if (pointer !== undefined && !resolves(example, String(pointer)))
          found.push(`${where}: pageUrls.${key} ${pointer} not in the example`);
      }
      const sort = resource.sort as Json | undefined;
      for (const key of ['by', 'direction'] as const) {
        const name = sort?.[key];
        if (name !== undefined && !names.includes(String(name))) found.push(`${where}: sort.${key} ${name}`);
      }
      const direction = op.parameters.find((p) => p.name === sort?.direction);
      const values = direction?.schema.enum;
      for (const key of ['ascending', 'descending'] as const) {
        const value = sort?.[key] ?? (key === 'ascending' ? 'asc' : 'desc');
        if (direction && values && !values.includes(value))
          found.push(`${where}: sort.${key} ${value} is not a value of ${direction.name}`);
      }
      const itemSchema = schemaAt(success?.content[0]?.schema, String(resource.items))?.items;
      // What the list can be sorted by is a property of its items.
      const sortable = [
        ...(sort?.field !== undefined ? [String(sort.field)] : []),
        ...((op.parameters.find((p) => p.name === sort?.by)?.schema.enum ?? []) as unknown[]).map(String),
      ];
      for (const field of sortable)
        if (!propertyNames(itemSchema).includes(field))
          found.push(`${where}: sort by ${field}, not a property of the items`);
      // A record keeps what its create was sent, so a list may filter on a field it does not show.
      const stored = [...propertyNames(itemSchema), ...createdFields(spec, String(resource.collection))];
      for (const filter of (resource.filters ?? []) as Json[]) {
        if (!names.includes(String(filter.parameter))) found.push(`${where}: filter ${filter.parameter}`);
        if (filter.memberOf !== undefined) {
          if (!spec.operations.some((o) => resourceOf(spec, o)?.collection === filter.memberOf))
            found.push(`${where}: filter memberOf ${filter.memberOf} has no operations`);
          continue;
        }
        if (!stored.includes(String(filter.field)))
          found.push(`${where}: filter field ${filter.field} is neither shown nor sent to the create`);
        if (!['equals', 'contains', 'prefix', 'wildcard'].includes(String(filter.match)))
          found.push(`${where}: filter match ${filter.match}`);
      }
    }
    const shownSchema =
      action === 'list'
        ? schemaAt(success?.content[0]?.schema, String(resource.items))?.items
        : schemaAt(success?.content[0]?.schema, String(resource.record ?? ''));
    for (const related of (resource.related ?? []) as Json[]) {
      if (!propertyNames(shownSchema).includes(String(related.field)))
        found.push(`${where}: related field ${related.field} is not a property of the shown record`);
      const other = String(related.count ?? related.from ?? related.memberOf);
      if (!spec.operations.some((o) => resourceOf(spec, o)?.collection === other))
        found.push(`${where}: related collection ${other} has no operations`);
      if (related.memberOf !== undefined) {
        // Members are added and removed by operations of the other collection; a create names them by key.
        const addsThese = (o: Operation): boolean => {
          const r = resourceOf(spec, o);
          return r?.collection === other && (r.members as Json | undefined)?.collection === resource.collection;
        };
        if (!spec.operations.some(addsThese))
          found.push(`${where}: related memberOf ${other}, but no operation of it adds ${resource.collection}`);
        const items = schemaAt(createBody(spec, String(resource.collection)), `/${related.field}`)?.items;
        if (!propertyNames(items).includes(String(related.key)))
          found.push(`${where}: related key ${related.key} is not a property of the created ${related.field} items`);
        continue;
      }
      const fields =
        related.count !== undefined ? createdFields(spec, other) : createdFields(spec, String(resource.collection));
      if (related.missing !== undefined) {
        const problem = documented(op, related.missing);
        if (problem) found.push(`${where}: related missing: ${problem}`);
      }
      if (!fields.includes(String(related.by)))
        found.push(
          `${where}: related by ${related.by} is not sent to the create of ${related.count ?? resource.collection}`,
        );
    }
    if (action === 'delete' && resource.protect) {
      const problem = documented(op, resource.protect);
      if (problem) found.push(`${where}: protect: ${problem}`);
    }
    if (resource.unique) {
      const problem = documented(op, resource.unique);
      if (problem) found.push(`${where}: unique: ${problem}`);
    }
    if (action === 'add-members' || action === 'remove-members') {
      const members = (resource.members ?? {}) as Json;
      const bodyExample = op.requestBody?.content[0]?.examples[0]?.value;
      if (typeof members.ids === 'string' && !Array.isArray(get(bodyExample, members.ids)))
        found.push(`${where}: members.ids not an array in the request example`);
      if (typeof members.count === 'string' && typeof get(example, members.count) !== 'number')
        found.push(`${where}: members.count not a number in the answered group`);
      if (!spec.operations.some((o) => resourceOf(spec, o)?.collection === members.collection))
        found.push(`${where}: members.collection ${members.collection} has no operations`);
    }
    // Links: the target exists, takes the parameter, and the source response's example has the value.
    for (const response of op.responses) {
      for (const link of response.links) {
        const target = byId.get(link.operationId);
        if (!target) {
          found.push(`${where} ${response.status} link ${link.name}: no operation ${link.operationId}`);
          continue;
        }
        for (const [parameter, expression] of Object.entries(link.parameters)) {
          if (!target.parameters.some((p) => p.name === parameter))
            found.push(`${where} link ${link.name}: ${link.operationId} has no parameter ${parameter}`);
          const pointer = /^\$response\.body#(.*)$/.exec(expression)?.[1];
          if (pointer === undefined) found.push(`${where} link ${link.name}: ${expression} is not a body pointer`);
          else if (!resolves(firstExample(op, response.status), pointer))
            found.push(`${where} link ${link.name}: ${pointer} not in the ${response.status} example`);
        }
      }
    }
  }
  // Every create links its id to every operation of its collection that takes an id as a parameter.
  for (const create of spec.operations.filter((op) => resourceOf(spec, op)?.action === 'create')) {
    const collection = resourceOf(spec, create)?.collection;
    const links = create.responses.filter((r) => /^2/.test(r.status)).flatMap((r) => r.links);
    for (const op of spec.operations) {
      const resource = resourceOf(spec, op);
      if (!resource || resource.collection !== collection || !ID_TAKERS.includes(resource.action as Action)) continue;
      const parameter = idParameterOf(op, resource);
      if (!parameter) continue;
      if (!links.some((l) => l.operationId === op.operationId && parameter in l.parameters))
        found.push(`${create.operationId}: no link to ${op.operationId} (${parameter})`);
    }
  }
  return found;
}

/** The request body schema of the create of a collection. */
function createBody(spec: Spec, collection: string): Json | undefined {
  const create = spec.operations.find(
    (o) => resourceOf(spec, o)?.collection === collection && resourceOf(spec, o)?.action === 'create',
  );
  return create?.requestBody?.content[0]?.schema as Json | undefined;
}

/** The properties of the request body that creates records of a collection (what a stored record keeps). */
function createdFields(spec: Spec, collection: string): string[] {
  return spec.operations
    .filter((o) => resourceOf(spec, o)?.collection === collection && resourceOf(spec, o)?.action === 'create')
    .flatMap((o) => propertyNames(o.requestBody?.content[0]?.schema));
}

function firstExampleName(op: Operation, status: string): string | undefined {
  return op.responses.find((r) => r.status === status)?.content[0]?.examples[0]?.name;
}

describe.each(Object.keys(SPEC_FILES) as SpecKey[])('x-resource and links of %s', (key) => {
  it('name parameters, pointers, statuses and examples the spec has, and every create links its id', () => {
    expect(problems(specs[key])).toEqual([]);
  });
});

describe('the lifecycle each spec declares', () => {
  const lifecycle = (key: SpecKey): Record<string, string[]> => {
    const byCollection: Record<string, string[]> = {};
    for (const op of specs[key].operations) {
      const resource = resourceOf(specs[key], op) as { collection: string; action: string };
      byCollection[resource.collection] = [...(byCollection[resource.collection] ?? []), resource.action].sort();
    }
    return byCollection;
  };

  it('BigChange: contact groups are created, listed and updated (no read or delete is known)', () => {
    expect(lifecycle('bigchange')).toEqual({ contactGroups: ['create', 'list', 'update'] });
  });

  it('8x8: contacts and groups have the whole lifecycle; groups add and remove contacts', () => {
    expect(lifecycle('8x8')).toEqual({
      contacts: ['create', 'delete', 'list', 'read', 'update'],
      groups: ['add-members', 'create', 'delete', 'list', 'read', 'remove-members', 'update'],
    });
  });

  it('Eloqua: segments are created, read, replaced, copied, listed and deleted', () => {
    expect(lifecycle('eloqua')).toEqual({
      contactSegments: ['copy', 'create', 'delete', 'list', 'read', 'replace'],
    });
  });

  it('Easify: groups and contacts are created, listed, updated and deleted (no read by id exists)', () => {
    expect(lifecycle('easify')).toEqual({
      contactGroups: ['create', 'delete', 'list', 'update'],
      contacts: ['create', 'delete', 'list', 'update'],
    });
  });
});
