/**
 * Startup: `@stoplight/prism-http` loads, at import, code the mock never runs. This seeds Node's
 * module cache, for the copies Prism resolves, with lighter modules of the same shape. Imported for
 * its effect, before `@stoplight/prism-http`.
 * - `@faker-js/faker`: its entry point loads every one of its 50+ locales (about 0.8 s of the mock's
 *   start under tsx), though json-schema-faker only ever uses faker's default, English. Prism gets
 *   faker's English-only build: the same `Faker` API and the same 'en' data, in a tenth of the time,
 *   and only once a schema's `faker` (or `x-faker`) keyword is first met.
 * - `@stoplight/http-spec/postman/operation`: Prism's reader of Postman collections pulls in
 *   postman-collection (with a faker of its own), about 0.16 s. The mock hands Prism only OpenAPI
 *   documents its own loader read, so that reader is never called; if it ever were, it says so.
 */
import Module, { createRequire } from 'node:module';

const requireFromPrism = (): NodeJS.Require =>
  createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-http'));

/** Seeds one module; if Prism's layout ever differs, the real module loads as it would have. */
function seed(requireFrom: () => NodeJS.Require, request: string, exports: (from: NodeJS.Require) => unknown): void {
  try {
    const from = requireFrom();
    const entry = from.resolve(request);
    if (from.cache[entry]) return;
    const cached = new Module(entry);
    cached.filename = entry;
    cached.loaded = true;
    cached.exports = exports(from);
    from.cache[entry] = cached;
  } catch {
    // Only slower to start.
  }
}

seed(requireFromPrism, '@faker-js/faker', (from) => {
  // Resolved now, so that a layout that differs falls back to the real module here, not at first use.
  const entry = from.resolve('@faker-js/faker/locale/en');
  let english: object | undefined;
  const load = (): object => (english ??= from(entry) as object);
  // json-schema-faker takes faker as Prism loads, but reads it only for a schema's `faker` (or `x-faker`)
  // keyword: a stand-in loads it on first use, so a spec without one never does.
  const lazy = new Proxy(
    {},
    {
      get: (_, key) => Reflect.get(load(), key),
      set: (_, key, value) => Reflect.set(load(), key, value),
      has: (_, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      defineProperty: (_, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property its (empty) target lacks as non-configurable.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
  // The shape of the full entry point: Prism reads `.default`, other code may read `.faker`.
  return { default: lazy, faker: lazy };
});

const notServed = (): never => {
  throw new Error('a Postman collection is not an OpenAPI document: the mock does not serve it');
};
// Resolved from Prism's operations reader, the one module that requires it.
seed(
  () => createRequire(requireFromPrism().resolve('./utils/operations')),
  '@stoplight/http-spec/postman/operation',
  () => ({ transformPostmanCollectionOperations: notServed, transformPostmanCollectionOperation: notServed }),
);
