/**
 * The mock knows no vendor: a new spec with the same extensions (and different names, pointers,
 * statuses and auth) gets the same behaviour. The spec is written to a temp directory here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { MockClient } from './support/mock-client.js';

const problem = (text: string) => ({ error: { text, ref: '00000000-0000-4000-8000-000000000000', fields: {} } });
const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['text', 'ref'],
      properties: {
        text: { type: 'string' },
        ref: { type: 'string', format: 'uuid' },
        fields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};
const errorResponse = (description: string, examples: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  description,
  'x-error-body': { message: '/error/text', errorId: '/error/ref', fieldErrors: '/error/fields' },
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/Error' },
      examples: Object.fromEntries(Object.entries(examples).map(([k, v]) => [k, { value: problem(v) }])),
    },
  },
  ...extra,
});
const widget = (id: string, extra: Record<string, unknown> = {}) => ({
  widget: { widgetId: id, sku: 'W-1', label: 'Example', barcodes: { ean: '4006381333931' }, ...extra },
});

const spec = {
  openapi: '3.1.0',
  info: { title: 'Acme Widgets', version: '3' },
  servers: [{ url: 'https://api.acme.test/v3' }],
  security: [{ key: [] }],
  'x-rate-limit': {
    limit: 3,
    period: 30,
    scope: 'credential',
    status: '429',
    message: 'Slow down: retry in {retryAfter}s',
  },
  paths: {
    '/widgets': {
      post: {
        operationId: 'createWidget',
        'x-resource': {
          collection: 'widgets',
          action: 'create',
          record: '/widget',
          id: 'widgetId',
          unique: { fields: ['sku'], status: '409', example: 'taken' },
          merge: {
            on: 'barcodes',
            merged: { status: '200', example: 'merged' },
            conflict: { status: '409', example: 'ambiguous' },
          },
        },
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/NewWidget' },
              examples: { basic: { value: { sku: 'W-1', label: 'Example', barcodes: { ean: '4006381333931' } } } },
            },
          },
        },
        responses: {
          '200': {
            description: 'merged',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Envelope' },
                examples: { merged: { value: widget('500') } },
              },
            },
          },
          '201': {
            description: 'created',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Envelope' },
                examples: { created: { value: widget('500') } },
              },
            },
            links: {
              Update: { operationId: 'updateWidget', parameters: { widgetKey: '$response.body#/widget/widgetId' } },
            },
          },
          '401': {
            description: 'no key',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Error' },
                examples: { 'no-key': { value: problem('API key required') } },
              },
            },
          },
          '409': errorResponse('duplicate or ambiguous', {
            taken: 'SKU taken',
            ambiguous: 'Barcodes match several widgets',
          }),
          '422': errorResponse('invalid', { invalid: 'Invalid widget' }),
          '429': errorResponse(
            'too many',
            { slow: 'Slow down: retry in 30s' },
            {
              headers: { 'Retry-After': { required: true, schema: { type: 'integer', minimum: 0 } } },
            },
          ),
        },
      },
    },
    '/widgets/{widgetKey}': {
      put: {
        operationId: 'updateWidget',
        'x-resource': { collection: 'widgets', action: 'update' },
        parameters: [
          {
            name: 'widgetKey',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[0-9]+$' },
            example: '500',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/NewWidget' },
              examples: { basic: { value: { sku: 'W-2' } } },
            },
          },
        },
        responses: {
          '204': { description: 'updated' },
          '401': {
            description: 'no key',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Error' },
                examples: { 'no-key': { value: problem('API key required') } },
              },
            },
          },
          '404': errorResponse('unknown', { unknown: 'No such widget' }),
          '422': errorResponse('invalid', { invalid: 'Invalid widget' }),
          '429': errorResponse(
            'too many',
            { slow: 'Slow down: retry in 30s' },
            {
              headers: { 'Retry-After': { required: true, schema: { type: 'integer', minimum: 0 } } },
            },
          ),
        },
      },
    },
  },
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    schemas: {
      Error: errorSchema,
      NewWidget: {
        type: 'object',
        properties: {
          sku: { type: 'string', minLength: 1 },
          label: { type: 'string', maxLength: 20 },
          barcodes: {
            type: 'object',
            additionalProperties: false,
            properties: { ean: { type: 'string' }, upc: { type: 'string' } },
          },
        },
      },
      Envelope: {
        type: 'object',
        required: ['widget'],
        properties: {
          widget: {
            type: 'object',
            required: ['widgetId', 'sku'],
            properties: {
              widgetId: { type: 'string', pattern: '^[0-9]+$' },
              sku: { type: 'string' },
              label: { type: 'string' },
              barcodes: { type: 'object' },
            },
          },
        },
      },
    },
  },
};

let dir: string;
let mock: RunningMock;
let client: MockClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mock-synthetic-'));
  writeFileSync(join(dir, 'acme-widgets.json'), JSON.stringify(spec, null, 2));
  mock = await startMock({ port: 0, specsDir: dir, rateLimit: { limit: 1000 } });
  client = await MockClient.connect(mock);
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a new spec with the same extensions', () => {
  it('is served under its own prefix and server path', () => {
    expect(mock.apis).toEqual([
      { name: 'acme', specFile: join(dir, 'acme-widgets.json'), baseUrl: `${mock.url}/acme/v3` },
    ]);
  });

  it('checks its API key and fills its own error pointers', async () => {
    expect((await client.call('acme', 'createWidget', { headers: { 'x-api-key': undefined } })).json).toEqual(
      problem('API key required'),
    );
    const invalid = await client.call('acme', 'createWidget', { body: { sku: '', label: 'l'.repeat(21) } });
    expect(invalid.status).toBe(422);
    const error = (invalid.json as { error: { text: string; ref: string; fields: Record<string, string[]> } }).error;
    expect(error.fields).toEqual({
      sku: ['sku must NOT have fewer than 1 characters'],
      label: ['label must NOT have more than 20 characters'],
    });
    expect(error.text).toBe('sku must NOT have fewer than 1 characters; label must NOT have more than 20 characters');
    expect(error.ref).not.toBe('00000000-0000-4000-8000-000000000000');
  });

  it('allocates string ids from the example, and finds duplicates, merges, conflicts and unknown ids', async () => {
    const first = await client.call('acme', 'createWidget', { body: { sku: 'A', barcodes: { ean: '1' } } });
    expect(first.status).toBe(201);
    // The example's label is sample data: a widget created without one has none.
    expect(first.json).toEqual({ widget: { widgetId: '500', sku: 'A', barcodes: { ean: '1' } } });
    const second = await client.call('acme', 'createWidget', { body: { sku: 'B', barcodes: { upc: '2' } } });
    expect(second.json).toMatchObject({ widget: { widgetId: '501' } });

    const taken = await client.call('acme', 'createWidget', { body: { sku: 'A' } });
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({
      error: { text: 'sku "A" is already taken', fields: { sku: ['sku "A" is already taken'] } },
    });

    const merged = await client.call('acme', 'createWidget', {
      body: { sku: 'C', label: 'merged', barcodes: { ean: '1', upc: '3' } },
    });
    expect(merged.status).toBe(200);
    expect(merged.json).toEqual({
      widget: { widgetId: '500', sku: 'C', label: 'merged', barcodes: { ean: '1', upc: '3' } },
    });

    const ambiguous = await client.call('acme', 'createWidget', {
      body: { sku: 'D', barcodes: { ean: '1', upc: '2' } },
    });
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.json).toMatchObject({
      error: { text: 'barcodes match more than one stored record ("500", "501")' },
    });

    expect(
      (await client.call('acme', 'updateWidget', { params: { widgetKey: '501' }, body: { label: 'renamed' } })).status,
    ).toBe(204);
    const unknown = await client.call('acme', 'updateWidget', { params: { widgetKey: '999' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { text: 'widgetKey 999 was not found' } });
    expect((await client.state()).acme!.widgets!.find((w) => w.widgetId === '501')).toMatchObject({
      sku: 'B',
      label: 'renamed',
    });
  });

  it('enforces its x-rate-limit with its own status, header and message template', async () => {
    const limited = await startMock({ port: 0, specsDir: dir });
    try {
      const c = await MockClient.connect(limited);
      for (let i = 0; i < 3; i++)
        expect((await c.call('acme', 'updateWidget', { params: { widgetKey: '1' } })).status).toBe(404);
      const answer = await c.call('acme', 'createWidget', { body: { sku: 'late' } });
      expect(answer.status).toBe(429);
      expect(answer.headers['retry-after']).toMatch(/^(29|30)$/);
      expect(answer.json).toMatchObject({ error: { text: `Slow down: retry in ${answer.headers['retry-after']}s` } });
    } finally {
      await limited.close();
    }
  });
});
