/**
 * mocks/prism-startup.ts: Prism, as the mock loads it, has faker's English build only, loaded when
 * first used, and no Postman reader; the stand-in says what it is if it is ever called.
 */
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { buildSpec } from '../../lib/spec.js';
import { isRefusal, PrismEngine } from '../../mocks/prism-engine.js';

const requireFromPrism = createRequire(createRequire(import.meta.url).resolve('@stoplight/prism-http'));

it('Prism loads no faker until it is used, then English only, and no postman-collection', () => {
  const loaded = Object.keys(requireFromPrism.cache);
  expect(loaded.some((file) => file.includes('@stoplight/prism-http'))).toBe(true);
  expect(loaded.filter((file) => file.includes('/postman-collection/'))).toEqual([]);
  // Nothing of faker until it is used (a `faker` keyword): only the stand-in Prism was handed.
  expect(loaded.filter((file) => file.includes('/@faker-js/faker/'))).toEqual([
    requireFromPrism.resolve('@faker-js/faker'),
  ]);
  const faker = requireFromPrism('@faker-js/faker') as { default: { locale: string; name: { firstName(): string } } };
  expect(faker.default.locale).toBe('en');
  expect(faker.default.name.firstName()).toMatch(/^\S+$/);
  const now = Object.keys(requireFromPrism.cache);
  expect(now.filter((file) => /@faker-js\/faker\/dist\/cjs\/locales\/(?!en\/|base\/)/.test(file))).toEqual([]);
  expect(now.some((file) => /@faker-js\/faker\/dist\/cjs\/locales\/en\//.test(file))).toBe(true);
});

it("the Postman reader's stand-in refuses with a reason", () => {
  const requireFromOperations = createRequire(requireFromPrism.resolve('./utils/operations'));
  const postman = requireFromOperations('@stoplight/http-spec/postman/operation') as {
    transformPostmanCollectionOperations(document: unknown): unknown;
  };
  expect(() => postman.transformPostmanCollectionOperations({ item: [], info: { name: 'c' } })).toThrow(
    /Postman collection is not an OpenAPI document/,
  );
});

it("dynamic data made with a schema's x-faker keyword goes through the stand-in to faker", async () => {
  const spec = buildSpec(
    {
      openapi: '3.1.0',
      info: { title: 'Faked', version: '1' },
      paths: {
        '/people': {
          get: {
            operationId: 'getPerson',
            responses: {
              '200': {
                description: 'a person',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['first'],
                      properties: { first: { type: 'string', 'x-faker': 'name.firstName' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    'faked.yaml',
  );
  const engine = await PrismEngine.load(spec);
  const reply = await engine.respond(
    'getPerson',
    { method: 'get', path: '/people', query: {}, headers: {}, body: undefined },
    { dynamic: true },
  );
  if (isRefusal(reply)) throw new Error(reply.detail);
  expect((reply.body as { first?: unknown }).first).toMatch(/^[A-Z][a-z'-]+$/);
});
