/**
 * What `@scalar/openapi-upgrader` loses of a Swagger 2.0 document, written back from the 2.0 text
 * after it upgraded it: an operation's own `produces` (its answers were labelled with the document's
 * media types) and its `formData` parameters (their constraints, items and `collectionFormat`, those
 * declared on the path or by `$ref`, were dropped or turned into references to nothing). A runner
 * that plans from the lost rules sends "valid" forms a correct server refuses.
 */
import { isObject, type JsonObject } from './json.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** Keys of a 2.0 parameter that say where and how it is sent, not what its value is. */
const PLACEMENT = new Set(['name', 'in', 'required', 'collectionFormat', 'allowEmptyValue']);

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** How a 2.0 `collectionFormat` (default `csv`) writes an array field, as a 3.x Encoding Object. */
const ENCODINGS: Readonly<Record<string, { style: string; explode: boolean }>> = {
  csv: { style: 'form', explode: false },
  multi: { style: 'form', explode: true },
  ssv: { style: 'spaceDelimited', explode: false },
  pipes: { style: 'pipeDelimited', explode: false },
};

function resolved(source: JsonObject, parameter: unknown): JsonObject | undefined {
  if (!isObject(parameter)) return undefined;
  const ref = parameter.$ref;
  if (typeof ref !== 'string') return parameter;
  const match = /^#\/parameters\/(.+)$/.exec(ref);
  const name = match ? decodeURIComponent(match[1]!).replaceAll('~1', '/').replaceAll('~0', '~') : undefined;
  const found = name !== undefined && isObject(source.parameters) ? source.parameters[name] : undefined;
  return isObject(found) ? found : undefined;
}

/** A 2.0 `items` object as a schema: its own `collectionFormat` says nothing of the value. */
function itemsSchema(items: unknown): unknown {
  if (!isObject(items)) return items;
  const { collectionFormat: _format, ...schema } = items;
  return isObject(schema.items) ? { ...schema, items: itemsSchema(schema.items) } : schema;
}

function fieldSchema(parameter: JsonObject): JsonObject {
  if (parameter.type === 'file') return { type: 'string', contentMediaType: 'application/octet-stream' };
  const schema: JsonObject = {};
  for (const [key, value] of Object.entries(parameter)) if (!PLACEMENT.has(key)) schema[key] = value;
  if (schema.items !== undefined) schema.items = itemsSchema(schema.items);
  return schema;
}

function formBody(source: JsonObject, operation: JsonObject, fields: JsonObject[]): JsonObject {
  const consumes = (Array.isArray(operation.consumes) ? operation.consumes : source.consumes) as unknown;
  const declared = (Array.isArray(consumes) ? consumes : []).filter(
    (type): type is string => typeof type === 'string' && FORM_TYPES.includes(type.split(';')[0]!.trim()),
  );
  const types =
    declared.length > 0 ? declared : [fields.some((f) => f.type === 'file') ? FORM_TYPES[1]! : FORM_TYPES[0]!];
  const properties: JsonObject = {};
  const encoding: JsonObject = {};
  for (const field of fields) {
    const name = String(field.name);
    properties[name] = fieldSchema(field);
    if (field.type === 'array') {
      const written = ENCODINGS[typeof field.collectionFormat === 'string' ? field.collectionFormat : 'csv'];
      if (written) encoding[name] = written;
    }
  }
  const required = fields.filter((f) => f.required === true).map((f) => String(f.name));
  const schema: JsonObject = { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
  const content: JsonObject = {};
  for (const type of types)
    content[type] = { schema, ...(Object.keys(encoding).length > 0 ? { encoding: structuredClone(encoding) } : {}) };
  return { ...(required.length > 0 ? { required: true } : {}), content };
}

/** Writes back into `upgraded` (the upgrader's 3.1 reading of `source`) what the upgrader lost. */
export function repairSwagger2(source: JsonObject, upgraded: JsonObject): void {
  if (!isObject(source.paths) || !isObject(upgraded.paths)) return;
  for (const [path, item] of Object.entries(source.paths)) {
    const target = upgraded.paths[path];
    if (!isObject(item) || !isObject(target)) continue;
    const shared = (Array.isArray(item.parameters) ? item.parameters : []).map((p) => resolved(source, p));
    for (const method of METHODS) {
      const operation = item[method];
      const upgradedOperation = target[method];
      if (!isObject(operation) || !isObject(upgradedOperation)) continue;
      const own = (Array.isArray(operation.parameters) ? operation.parameters : []).map((p) => resolved(source, p));
      // An operation's parameter wins over the path's of the same name and place.
      const all = [...own, ...shared].filter((p): p is JsonObject => p !== undefined);
      const fields = all.filter(
        (p, i) => p.in === 'formData' && all.findIndex((q) => q.in === 'formData' && q.name === p.name) === i,
      );
      // A `$ref`'d body or form parameter comes out as a parameter referring to a request body.
      const bodyRefs = (Array.isArray(upgradedOperation.parameters) ? upgradedOperation.parameters : []).filter(
        (p) => isObject(p) && typeof p.$ref === 'string' && p.$ref.startsWith(REQUEST_BODIES),
      );
      if (bodyRefs.length > 0)
        upgradedOperation.parameters = (upgradedOperation.parameters as unknown[]).filter((p) => !bodyRefs.includes(p));
      if (fields.length > 0) upgradedOperation.requestBody = formBody(source, operation, fields);
      else if (upgradedOperation.requestBody === undefined && bodyRefs.length > 0) {
        const body = named(upgraded, REQUEST_BODIES, (bodyRefs[0] as JsonObject).$ref as string);
        const consumes = mediaTypes(operation.consumes);
        if (body) upgradedOperation.requestBody = consumes ? relabelled(body, consumes) : structuredClone(body);
      }
      const produces = mediaTypes(operation.produces);
      if (produces) relabel(upgraded, upgradedOperation, produces);
    }
  }
}

const REQUEST_BODIES = '#/components/requestBodies/';
const RESPONSES = '#/components/responses/';

/** An operation's own media types, when it lists any. */
function mediaTypes(list: unknown): string[] | undefined {
  const types = Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
  return types.length > 0 ? types : undefined;
}

/** The component a local `$ref` under `prefix` names in the upgraded document. */
function named(upgraded: JsonObject, prefix: string, ref: string): JsonObject | undefined {
  if (!ref.startsWith(prefix) || !isObject(upgraded.components)) return undefined;
  const group = upgraded.components[prefix.split('/')[2]!];
  const found = isObject(group) ? group[decodeURIComponent(ref.slice(prefix.length))] : undefined;
  return isObject(found) ? found : undefined;
}

/**
 * A body or answer under other media types: each keeps its own entry where it has one (a 2.0
 * `examples` per media type, which the upgrader writes without the schema), the others take a copy
 * of the first without its examples.
 */
function relabelled(holder: JsonObject, types: string[]): JsonObject {
  const content = holder.content;
  const [first] = isObject(content) ? Object.values(content) : [];
  if (!isObject(content) || !isObject(first)) return structuredClone(holder);
  const { examples: _examples, example: _example, ...bare } = first;
  return {
    ...structuredClone(holder),
    content: Object.fromEntries(
      types.map((type) => [type, structuredClone(isObject(content[type]) ? { ...bare, ...content[type] } : bare)]),
    ),
  };
}

/** Each answer's body under the operation's own media types: the upgrader used the document's. */
function relabel(upgraded: JsonObject, operation: JsonObject, produces: string[]): void {
  if (!isObject(operation.responses)) return;
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!isObject(response)) continue;
    // A shared answer (`#/responses/X`) keeps its labels elsewhere: this operation gets a copy.
    const answer = typeof response.$ref === 'string' ? named(upgraded, RESPONSES, response.$ref) : response;
    if (answer && isObject(answer.content)) operation.responses[status] = relabelled(answer, produces);
  }
}
