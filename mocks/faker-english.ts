/**
 * Startup: Prism's dynamic-data generator requires `@faker-js/faker`, whose entry point loads every
 * one of its 50+ locales (about 0.8 s of the mock's 1.8 s start under tsx), though json-schema-faker
 * only ever uses faker's default, English. This seeds Node's module cache, for the copy Prism
 * resolves, with faker's English-only build: the same `Faker` API and the same 'en' data, loaded in
 * a tenth of the time. Imported for its effect, before `@stoplight/prism-http`.
 */
import Module, { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);
const requireFromPrism = createRequire(requireFromHere.resolve('@stoplight/prism-http'));
const entry = requireFromPrism.resolve('@faker-js/faker');

if (!requireFromPrism.cache[entry]) {
  const english: unknown = requireFromPrism('@faker-js/faker/locale/en');
  const cached = new Module(entry);
  cached.filename = entry;
  cached.loaded = true;
  // The shape of the full entry point: Prism reads `.default`, other code may read `.faker`.
  cached.exports = { default: english, faker: english };
  requireFromPrism.cache[entry] = cached;
}
