/**
 * `x-resource` and `links` turned into state changes: what a create stores and answers, what an
 * update needs to exist, and the documented responses for duplicates, merges and conflicts.
 */

import type { ResourceExtension } from '../../lib/extensions.js';
import { isObject } from '../../lib/json.js';
import { getPointer, setPointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { linkedParameters } from '../../lib/links.js';
import type { Operation, Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { Violation } from '../violations.js';
import { findMergeMatches, mergeRecords } from './merge.js';
import type { Collection, StoredRecord } from './store.js';
import { findDuplicates } from './unique.js';

export interface ResourceBinding {
  resource: ResourceExtension;
  /** Schema of the record inside the 2xx body (create), used to decide which request fields it shows. */
  recordSchema?: JsonSchema;
  /** The record property holding the id (an update takes it from its collection's create). */
  idField?: string;
  idType: 'integer' | 'string';
  /** The first id handed out: the documented example's, so the mock starts where the docs do. */
  idSeed: number;
  /** Create: the 2xx a new record gets (not the merge's status, which Prism would pick as the lowest). */
  createdStatus?: string;
  /** Update: the path parameter that carries the id, from the create's `links`. */
  idParameter?: string;
}

/** A documented response to serve: its status and, optionally, which example. */
export interface DocumentedScenario {
  status: string;
  example?: string;
}

/** What the state decided for one request. */
export type StateDecision =
  | { kind: 'reject'; status: string; example?: string; violations: Violation[]; message?: string }
  | { kind: 'respond'; scenario?: DocumentedScenario; finish(body: unknown): unknown };

/** Follows a JSON pointer through `properties` (and `allOf` branches) of a dereferenced schema. */
function schemaAt(schema: JsonSchema | undefined, pointer: string): JsonSchema | undefined {
  let current = schema;
  for (const token of pointer.split('/').slice(1)) {
    if (!current) return undefined;
    current = current.properties?.[token] ?? current.allOf?.map((s) => s.properties?.[token]).find(Boolean);
  }
  return current;
}

function recordProperties(schema: JsonSchema | undefined): Record<string, JsonSchema> | undefined {
  if (!schema) return undefined;
  const merged: Record<string, JsonSchema> = { ...schema.properties };
  for (const part of schema.allOf ?? []) Object.assign(merged, part.properties);
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function idParameterOf(spec: Spec, operation: Operation): string | undefined {
  // The path parameter a link fills from a response body (the create's `$response.body#/id`).
  const linked = linkedParameters(spec)
    .get(operation.operationId)
    ?.find((l) => l.in === 'path' && l.pointer !== undefined);
  if (linked) return linked.parameter;
  // Without a link, an update addressed by a single path parameter can only mean that one.
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  return pathParameters.length === 1 ? pathParameters[0]!.name : undefined;
}

export function bindResource(spec: Spec, operation: Operation): ResourceBinding | undefined {
  const resource = operation.resource;
  if (!resource) return undefined;
  if (resource.action === 'update') {
    // The id's property and type are the create's: that is where ids of this collection come from.
    const create = spec.operations.find(
      (o) => o.resource?.action === 'create' && o.resource.collection === resource.collection,
    );
    const created = create ? bindResource(spec, create) : undefined;
    const idParameter = idParameterOf(spec, operation);
    return {
      resource,
      idType: created?.idType ?? 'string',
      idSeed: created?.idSeed ?? 1,
      ...(created?.idField !== undefined ? { idField: created.idField } : {}),
      ...(idParameter !== undefined ? { idParameter } : {}),
    };
  }
  const success = operation.responses.find((r) => /^2/.test(r.status) && r.status !== resource.merge?.merged.status);
  const media = success?.content[0];
  const recordSchema = schemaAt(media?.schema, resource.record);
  const idSchema = resource.id ? recordProperties(recordSchema)?.[resource.id] : undefined;
  const idTypes = [idSchema?.type].flat();
  const exampleId = resource.id
    ? Number(getPointer(media?.examples[0]?.value, `${resource.record}/${resource.id}`))
    : NaN;
  const binding: ResourceBinding = {
    resource,
    idType: idTypes.includes('integer') || idTypes.includes('number') ? 'integer' : 'string',
    idSeed: Number.isSafeInteger(exampleId) ? exampleId : 1,
  };
  if (recordSchema) binding.recordSchema = recordSchema;
  if (success) binding.createdStatus = success.status;
  if (resource.id !== undefined) binding.idField = resource.id;
  return binding;
}

/**
 * The fields of `source` that the record schema declares and accepts, so the answer still matches
 * the spec. Read-only ones are taken only from stored records (`fromClient: false`), never from a request.
 */
function project(
  source: StoredRecord,
  schema: JsonSchema | undefined,
  skip: string | undefined,
  validators: ValidatorCache,
  fromClient = true,
): StoredRecord {
  const properties = recordProperties(schema);
  if (!properties) return {};
  const result: StoredRecord = {};
  for (const [key, value] of Object.entries(source)) {
    const property = properties[key];
    if (key === skip || !property || (fromClient && property.readOnly)) continue;
    if (validators.get(property)(value)) result[key] = value;
  }
  return result;
}

/** The stored record as the response shows it; required fields it lacks come from the documented record. */
function showStored(
  stored: StoredRecord,
  documented: StoredRecord,
  schema: JsonSchema | undefined,
  validators: ValidatorCache,
): StoredRecord {
  const shown = project(stored, schema, undefined, validators, false);
  for (const name of [...(schema?.required ?? []), ...(schema?.allOf ?? []).flatMap((part) => part.required ?? [])]) {
    if (!(name in shown) && name in documented) shown[name] = documented[name];
  }
  return shown;
}

/** Puts the record back into the body at the `x-resource.record` pointer. */
function withRecord(body: unknown, pointer: string, record: StoredRecord): unknown {
  if (pointer === '') return record;
  const copy = structuredClone(body);
  setPointer(copy, pointer, record);
  return copy;
}

function recordIn(body: unknown, pointer: string): StoredRecord {
  const record = getPointer(body, pointer);
  return isObject(record) ? record : {};
}

export function planCreate(
  binding: ResourceBinding,
  collection: Collection,
  incoming: StoredRecord,
  validators: ValidatorCache,
): StateDecision {
  const { resource, idField } = binding;
  if (resource.unique) {
    const duplicates = findDuplicates(collection, resource.unique.fields, incoming);
    if (duplicates.length > 0)
      return {
        kind: 'reject',
        status: resource.unique.status,
        example: resource.unique.example,
        violations: duplicates,
      };
  }
  if (resource.merge) {
    const matches = findMergeMatches(collection, resource.merge.on, incoming);
    if (matches.length > 1) {
      const ids = idField ? matches.map((m) => JSON.stringify(m[idField])).join(', ') : `${matches.length} records`;
      return {
        kind: 'reject',
        status: resource.merge.conflict.status,
        example: resource.merge.conflict.example,
        violations: [],
        message: `${resource.merge.on} match more than one stored record (${ids})`,
      };
    }
    const [target] = matches;
    if (target) {
      return {
        kind: 'respond',
        scenario: resource.merge.merged,
        finish(body) {
          const merged = mergeRecords(target, incoming, idField);
          const key = idField ? String(target[idField]) : undefined;
          if (key !== undefined) collection.records.set(key, merged);
          // Only what the stored contact really has: the merged example's other fields must not leak in.
          return withRecord(
            body,
            resource.record,
            showStored(merged, recordIn(body, resource.record), binding.recordSchema, validators),
          );
        },
      };
    }
  }
  return {
    kind: 'respond',
    ...(binding.createdStatus !== undefined ? { scenario: { status: binding.createdStatus } } : {}),
    finish(body) {
      const base = recordIn(body, resource.record);
      const number = collection.allocate(binding.idSeed);
      const id = binding.idType === 'integer' ? number : String(number);
      // Request fields replace the example's whole: an example address must not join the new record.
      const stored: StoredRecord = { ...base, ...structuredClone(incoming) };
      const shown: StoredRecord = { ...base, ...project(incoming, binding.recordSchema, idField, validators) };
      if (idField) {
        stored[idField] = id;
        shown[idField] = id;
      }
      // Without an id property the record cannot be addressed later, but it still counts for unique/merge.
      collection.records.set(String(idField ? id : `#${number}`), stored);
      return withRecord(body, resource.record, shown);
    },
  };
}

export function planUpdate(
  binding: ResourceBinding,
  collection: Collection,
  pathParameters: Record<string, string>,
  incoming: StoredRecord,
): StateDecision {
  const name = binding.idParameter;
  const raw = name ? pathParameters[name] : undefined;
  if (name === undefined || raw === undefined) return { kind: 'respond', finish: (body) => body };
  // Ids are stored by their decimal text: `007` and `7` name the same integer id.
  const key = binding.idType === 'integer' && /^-?\d+$/.test(raw) ? String(Number(raw)) : raw;
  const stored = collection.records.get(key);
  if (!stored) {
    return {
      kind: 'reject',
      status: '404',
      violations: [],
      message: `${name} ${raw} was not found`,
    };
  }
  return {
    kind: 'respond',
    finish(body) {
      const merged = mergeRecords(stored, incoming, binding.idField);
      collection.records.set(key, merged);
      return body;
    },
  };
}
