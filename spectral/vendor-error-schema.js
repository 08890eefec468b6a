// Spectral function: every 4xx/5xx response of an operation uses the vendor's error schema, i.e. a
// named component schema (directly or as the first allOf member) that no 2xx response uses.
// Inline ad-hoc error bodies are how a spec drifts away from the vendor's format, so they fail.
import { createRulesetFunction } from '@stoplight/spectral-core';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function deref(document, node) {
  let current = node;
  for (let i = 0; i < 10 && current && typeof current.$ref === 'string' && current.$ref.startsWith('#/'); i++) {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((n, t) => (n ? n[t.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), document);
  }
  return current;
}

function namedSchema(schema) {
  if (!schema || typeof schema !== 'object') return undefined;
  const ref =
    typeof schema.$ref === 'string' ? schema.$ref : Array.isArray(schema.allOf) ? schema.allOf[0]?.$ref : undefined;
  const match = typeof ref === 'string' ? /^#\/components\/schemas\/([^/]+)$/.exec(ref) : null;
  return match ? match[1] : undefined;
}

export default createRulesetFunction({ input: null, options: null }, function vendorErrorSchema(document) {
  const results = [];
  const successSchemas = new Set();
  const errorUses = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      for (const [status, raw] of Object.entries(operation.responses ?? {})) {
        const response = deref(document, raw) ?? {};
        const where = ['paths', path, method, 'responses', status];
        for (const [mediaType, media] of Object.entries(response.content ?? {})) {
          const name = namedSchema(media?.schema);
          if (/^[23]/.test(status)) {
            if (name) successSchemas.add(name);
          } else if (/^[45]/.test(status)) {
            if (!name)
              results.push({
                message: `${status} ${mediaType} must use a named vendor error schema from components/schemas (directly or as the first allOf member)`,
                path: where,
              });
            else errorUses.push({ name, where });
          }
        }
        if (/^[45]/.test(status) && Object.keys(response.content ?? {}).length === 0) {
          results.push({ message: `${status} must document the vendor's error body`, path: where });
        }
      }
    }
  }
  for (const use of errorUses) {
    if (successSchemas.has(use.name))
      results.push({
        message: `error schema ${use.name} is also a success schema; an error must use the vendor's error format`,
        path: use.where,
      });
  }
  return results;
});
