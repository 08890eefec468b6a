/**
 * Startup: `@stoplight/prism-http` loads, at import, code the mock never runs. This seeds Node's
 * module cache, for the copies Prism resolves, with lighter modules of the same shape. Imported for
 * its effect, before `@stoplight/prism-http`.
 * - `@faker-js/faker`: its entry point loads every one of its 50+ locales (about 0.8 s of the mock's
 *   start under tsx), though json-schema-faker only ever uses faker's default, English. Prism gets
 *   faker's English-only build: the same `Faker` API and the same 'en' data, in a tenth of the time.
 * - `@stoplight/http-spec/postman/operation`: Prism's reader of Postman collections pulls in
 *   postman-collection (with a faker of its own), about 0.16 s. The mock hands Prism only OpenAPI
 *   documents its own loader read, so that reader is never called; if it ever were, it says so.
 */
import Module, { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);
const prismEntry = requireFromHere.resolve('@stoplight/prism-http');
const requireFromPrism = createRequire(prismEntry);

function seed(requireFrom: NodeJS.Require, request: string, exports: () => unknown): void {
  const entry = requireFrom.resolve(request);
  if (requireFrom.cache[entry]) return;
  const cached = new Module(entry);
  cached.filename = entry;
  cached.loaded = true;
  cached.exports = exports();
  requireFrom.cache[entry] = cached;
}

seed(requireFromPrism, '@faker-js/faker', () => {
  const english: unknown = requireFromPrism('@faker-js/faker/locale/en');
  // The shape of the full entry point: Prism reads `.default`, other code may read `.faker`.
  return { default: english, faker: english };
});

// Resolved from Prism's operations reader, the one module that requires it.
const requireFromOperations = createRequire(requireFromPrism.resolve('./utils/operations'));
const notServed = (): never => {
  throw new Error('a Postman collection is not an OpenAPI document: the mock does not serve it');
};
seed(requireFromOperations, '@stoplight/http-spec/postman/operation', () => ({
  transformPostmanCollectionOperations: notServed,
  transformPostmanCollectionOperation: notServed,
}));
