/**
 * mocks/warm.ts: once listening, a mock started with `warm` compiles the validators its answers use
 * (parameters, bodies, responses, the fields of the records its state keeps), one per turn of the
 * event loop, and a schema that cannot be compiled is left for the request that needs it.
 */
import { expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { buildSpec } from '../../lib/spec.js';
import { type RuleSet, ValidatorCache } from '../../lib/validator.js';
import { buildApi } from '../../mocks/api.js';
import { schemasOf, warmValidators } from '../../mocks/warm.js';

const Group = {
  type: 'object',
  required: ['name'],
  properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', minLength: 1 } },
};

const document: JsonObject = {
  openapi: '3.1.0',
  info: { title: 'Warm', version: '1' },
  paths: {
    '/groups': {
      post: {
        operationId: 'createGroup',
        'x-resource': { collection: 'groups', action: 'create', record: '/data', id: 'id' },
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Group' } } } },
        responses: {
          '201': {
            description: 'created',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { data: { $ref: '#/components/schemas/Group' } } },
              },
            },
          },
          '400': { description: 'bad', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/groups/{id}': {
      put: {
        operationId: 'updateGroup',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Group' } } } },
        responses: { '204': { description: 'updated' } },
      },
    },
  },
  components: { schemas: { Group } },
};

/** The validator cache, recording what it was asked to compile and in which rule set. */
function recording(): { cache: ValidatorCache; asked: [JsonSchema, RuleSet | undefined][] } {
  const cache = new ValidatorCache();
  const asked: [JsonSchema, RuleSet | undefined][] = [];
  const get = cache.get.bind(cache);
  cache.get = (schema, rules, direction) => {
    asked.push([schema, rules]);
    return get(schema, rules, direction);
  };
  return { cache, asked };
}

it("compiles each operation's parameter, body and response schemas and its records' fields, yielding between them", async () => {
  const spec = buildSpec(document, 'warm.yaml');
  const api = await buildApi(spec);
  const [create, update] = spec.operations as [(typeof spec.operations)[0], (typeof spec.operations)[0]];
  const group = create.requestBody!.content[0]!.schema!;
  const created = create.responses[0]!.content[0]!.schema!;
  const record = created.properties!.data!;
  // The record inside the answer (`record: /data`) has its fields warmed, not only the answer's own.
  // Bodies are compiled for the way they travel (a readOnly property is required in answers only).
  expect(schemasOf(create, api.bindings.get('createGroup'))).toEqual([
    [group, 'request'],
    [group.properties!.id, 'any'],
    [group.properties!.name, 'any'],
    [created, 'response'],
    [record, 'any'],
    [create.responses[1]!.content[0]!.schema, 'response'],
    [record.properties!.id, 'any'],
    [record.properties!.name, 'any'],
    [record.properties!.id, 'any'],
  ]);
  expect(schemasOf(update)).toEqual([
    [update.parameters[0]!.schema, 'any'],
    [update.requestBody!.content[0]!.schema, 'request'],
    ...Object.values(update.requestBody!.content[0]!.schema!.properties!).map((schema) => [schema, 'any']),
  ]);

  const { cache, asked } = recording();
  cache.register(spec);
  let turns = 0;
  const counting = (): void => {
    turns++;
    if (turns < 100) setImmediate(counting);
  };
  setImmediate(counting);
  await warmValidators([api], cache, 'documented').done;
  expect(asked.map(([schema]) => schema)).toEqual(
    [...schemasOf(create, api.bindings.get('createGroup')), ...schemasOf(update, api.bindings.get('updateGroup'))].map(
      ([schema]) => schema,
    ),
  );
  expect(asked.every(([, rules]) => rules === 'documented')).toBe(true);
  // A turn of the loop went by between each compile: a request arriving meanwhile is not held up.
  expect(turns).toBeGreaterThanOrEqual(asked.length);
});

it('stops when told, and leaves a schema that cannot be compiled to the request that needs it', async () => {
  const broken = structuredClone(document);
  const schemas = (broken.components as { schemas: { Group: { properties: { name: { minLength: unknown } } } } })
    .schemas;
  schemas.Group.properties.name.minLength = 'one';
  const spec = buildSpec(broken, 'broken.yaml');
  const api = await buildApi(spec);
  const { cache, asked } = recording();
  cache.register(spec);
  await warmValidators([api], cache, 'all').done;
  expect(asked.length).toBeGreaterThan(0);
  expect(() => cache.get(spec.operations[0]!.requestBody!.content[0]!.schema!)).toThrow(/minLength must be integer/);

  const stopped = recording();
  const warming = warmValidators([api], stopped.cache, 'all');
  warming.stop();
  await warming.done;
  expect(stopped.asked).toEqual([]);
});
