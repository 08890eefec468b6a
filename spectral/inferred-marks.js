// The `x-inferred` convention (specs/README.md) as one check, shared by the Spectral rule
// `x-inferred-marks` and tests/specs/provenance.test.ts. It reads a parsed document as written ($refs
// not followed), so every problem names the JSON pointer of the node that carries the mark.
//
// A mark is a map from a keyword of its own node to a one-line reason:
// - on a schema: any JSON Schema keyword the schema carries (`required`: its whole `required` list);
// - on a request body or a header: `required` (the object says `required: true`);
// - on a response: `response` (the vendor does not document the status) or `content` (the vendor
//   documents the status without a body; the response has `content`).

/** JSON Schema 2020-12 keywords (and OpenAPI's `discriminator`) a mark may name on a schema. */
export const SCHEMA_KEYWORDS = new Set([
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'format',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'items',
  'prefixItems',
  'contains',
  'additionalProperties',
  'properties',
  'patternProperties',
  'propertyNames',
  'dependentSchemas',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'readOnly',
  'writeOnly',
  'deprecated',
  'default',
  'discriminator',
]);

export const RESPONSE_KEYS = new Set(['response', 'content', 'mediaType']);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Per object kind: the keys holding OpenAPI objects, as [shape, kind of the object(s) held]. */
const CHILDREN = {
  document: { paths: ['map', 'pathItem'], webhooks: ['map', 'pathItem'], components: ['one', 'components'] },
  components: {
    schemas: ['map', 'schema'],
    responses: ['map', 'response'],
    parameters: ['map', 'parameter'],
    requestBodies: ['map', 'requestBody'],
    headers: ['map', 'header'],
    pathItems: ['map', 'pathItem'],
  },
  pathItem: {
    parameters: ['list', 'parameter'],
    ...Object.fromEntries(METHODS.map((method) => [method, ['one', 'operation']])),
  },
  operation: { parameters: ['list', 'parameter'], requestBody: ['one', 'requestBody'], responses: ['map', 'response'] },
  parameter: { schema: ['one', 'schema'], content: ['map', 'mediaType'] },
  header: { schema: ['one', 'schema'], content: ['map', 'mediaType'] },
  requestBody: { content: ['map', 'mediaType'] },
  response: { headers: ['map', 'header'], content: ['map', 'mediaType'] },
  mediaType: { schema: ['one', 'schema'] },
  schema: {
    ...Object.fromEntries(
      [
        'items',
        'additionalProperties',
        'not',
        'contains',
        'if',
        'then',
        'else',
        'propertyNames',
        'unevaluatedItems',
        'unevaluatedProperties',
        'contentSchema',
      ].map((key) => [key, ['one', 'schema']]),
    ),
    ...Object.fromEntries(
      ['properties', 'patternProperties', '$defs', 'dependentSchemas'].map((key) => [key, ['map', 'schema']]),
    ),
    ...Object.fromEntries(['allOf', 'anyOf', 'oneOf', 'prefixItems'].map((key) => [key, ['list', 'schema']])),
  },
};

/** Keys whose values are data, not OpenAPI objects (examples, defaults, enums, other extensions). */
const isData = (key) => ['example', 'examples', 'default', 'const', 'enum'].includes(key) || key.startsWith('x-');

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 6901 pointer of a path of keys. */
export function toPointer(path) {
  return path.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Why `key` cannot be marked on a node of `kind`, or undefined when it can. */
function keyProblem(kind, node, key) {
  switch (kind) {
    case 'schema':
      if (!SCHEMA_KEYWORDS.has(key)) return `"${key}" is not a JSON Schema keyword`;
      if (!(key in node)) return `names "${key}", which this schema does not carry`;
      if (key === 'required' && !(Array.isArray(node.required) && node.required.length > 0))
        return 'names "required", but this schema requires nothing';
      return undefined;
    case 'requestBody':
    case 'header':
      if (key !== 'required') return `"${key}" cannot be marked on a ${kind === 'header' ? 'header' : 'request body'}`;
      if (node.required !== true)
        return `names "required", but this ${kind === 'header' ? 'header' : 'request body'} is not required`;
      return undefined;
    case 'response':
      if (!RESPONSE_KEYS.has(key))
        return `"${key}" cannot be marked on a response (only "response", "content" or "mediaType")`;
      if (
        (key === 'content' || key === 'mediaType') &&
        !(isObject(node.content) && Object.keys(node.content).length > 0)
      )
        return `names "${key}", but this response has no content`;
      return undefined;
  }
  return undefined;
}

function markProblems(kind, node, mark, path) {
  const at = [...path, 'x-inferred'];
  if (!['schema', 'requestBody', 'header', 'response'].includes(kind))
    return [{ path: at, message: 'x-inferred may only sit on a schema, a request body, a header or a response' }];
  if (!isObject(mark) || Object.keys(mark).length === 0)
    return [{ path: at, message: 'x-inferred must be a non-empty map from keyword to reason' }];
  const problems = [];
  for (const [key, reason] of Object.entries(mark)) {
    const problem = keyProblem(kind, node, key);
    if (problem) problems.push({ path: [...at, key], message: `x-inferred ${problem}` });
    if (typeof reason !== 'string' || reason.trim() === '')
      problems.push({ path: [...at, key], message: `x-inferred "${key}" needs a reason (a non-empty string)` });
    else if (/[\r\n]/.test(reason))
      problems.push({ path: [...at, key], message: `x-inferred "${key}": the reason must be one line` });
  }
  return problems;
}

/**
 * Every problem with the document's `x-inferred` marks: `{ path, pointer, message }`, where `path`
 * leads to the offending entry and `pointer` is the JSON pointer of the node carrying the mark.
 */
export function inferredMarkProblems(document) {
  const problems = [];
  const walk = (node, path, kind) => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, [...path, i], 'other');
      return;
    }
    if (!isObject(node)) return;
    if ('x-inferred' in node) {
      for (const problem of markProblems(kind, node, node['x-inferred'], path))
        problems.push({ ...problem, pointer: toPointer(path) });
    }
    for (const [key, value] of Object.entries(node)) {
      if (isData(key)) continue;
      const [shape, childKind] = CHILDREN[kind]?.[key] ?? [];
      if (shape === 'one') walk(value, [...path, key], childKind);
      else if (shape === 'map' && isObject(value))
        for (const [name, child] of Object.entries(value)) walk(child, [...path, key, name], childKind);
      else if (shape === 'list' && Array.isArray(value))
        for (const [i, child] of value.entries()) walk(child, [...path, key, i], childKind);
      else walk(value, [...path, key], 'other');
    }
  };
  walk(document, [], 'document');
  return problems;
}
