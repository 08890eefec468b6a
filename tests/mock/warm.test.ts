/**
 * mocks/warm.ts: once listening, a mock started with `warm` compiles the validators its answers use
 * (parameters, bodies, responses, their records' fields), one per turn of the event loop, and a
 * schema that cannot be compiled is left for the request that needs it.
 */
import { expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { buildSpec } from '../../lib/spec.js';
import { type RuleSet, ValidatorCache } from '../../lib/validator.js';
import { schemasOf, warmValidators } from '../../mocks/warm.js';

const document: JsonObject = {
  openapi: '3.1.0',
  info: { title: 'Warm', version: '1' },
  paths: {
    '/groups/{id}': {
      put: {
        operationId: 'updateGroup',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Group' } } },
        },
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Group' } } },
          },
          '400': { description: 'bad', content: { 'application/json': { schema: { type: 'object' } } } },
          '204': { description: 'nothing' },
        },
      },
    },
  },
  components: {
    schemas: {
      Group: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer' } },
      },
    },
  },
};

/** The validator cache, recording what it was asked to compile and in which rule set. */
function recording(): { cache: ValidatorCache; asked: [JsonSchema, RuleSet | undefined][] } {
  const cache = new ValidatorCache();
  const asked: [JsonSchema, RuleSet | undefined][] = [];
  const get = cache.get.bind(cache);
  cache.get = (schema, rules) => {
    asked.push([schema, rules]);
    return get(schema, rules);
  };
  return { cache, asked };
}

it("compiles every operation's parameter, body, response and record-field schemas, yielding between them", async () => {
  const spec = buildSpec(document, 'warm.yaml');
  const operation = spec.operations[0]!;
  const { cache, asked } = recording();
  cache.register(spec);
  const group = operation.requestBody!.content[0]!.schema!;
  expect(schemasOf(operation)).toEqual([
    operation.parameters[0]!.schema,
    group,
    group.properties!.name,
    group.properties!.size,
    operation.responses.find((r) => r.status === '200')!.content[0]!.schema,
    group.properties!.name,
    group.properties!.size,
    operation.responses.find((r) => r.status === '400')!.content[0]!.schema,
  ]);

  let turns = 0;
  const counting = (): void => {
    turns++;
    if (turns < 100) setImmediate(counting);
  };
  setImmediate(counting);
  const warming = warmValidators(spec.operations, cache, 'documented');
  await warming.done;
  expect(asked.map(([schema]) => schema)).toEqual(schemasOf(operation));
  expect(asked.every(([, rules]) => rules === 'documented')).toBe(true);
  // A turn of the loop went by between each compile: a request arriving meanwhile is not held up.
  expect(turns).toBeGreaterThanOrEqual(asked.length);
});

it('stops when told, and leaves a schema that cannot be compiled to the request that needs it', async () => {
  const broken = structuredClone(document);
  const group = (broken.components as { schemas: { Group: { properties: { name: { minLength: unknown } } } } }).schemas
    .Group;
  group.properties.name.minLength = 'one';
  const spec = buildSpec(broken, 'broken.yaml');
  const { cache, asked } = recording();
  cache.register(spec);
  await warmValidators(spec.operations, cache, 'all').done;
  expect(asked).toHaveLength(schemasOf(spec.operations[0]!).length);
  expect(() => cache.get(spec.operations[0]!.requestBody!.content[0]!.schema!)).toThrow(/minLength must be integer/);

  const stopped = recording();
  const warming = warmValidators(spec.operations, stopped.cache, 'all');
  warming.stop();
  await warming.done;
  expect(stopped.asked).toEqual([]);
});
