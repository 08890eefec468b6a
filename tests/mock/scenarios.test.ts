/**
 * `Prefer` scenario selection, walked from the specs themselves: every documented example of every
 * response of every operation is served when asked for, and conforms. Then dynamic data, by header
 * and by the --dynamic option.
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../lib/spec.js';
import { DEFAULT_SPECS_DIR, type RunningMock, startMock } from '../../mocks/server.js';
import { MockClient } from './support/mock-client.js';

const ACCOUNT = '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35';
const files = readdirSync(DEFAULT_SPECS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(DEFAULT_SPECS_DIR, f));
const specs = await Promise.all(files.map((f) => loadSpec(f)));
const scenarios = specs.flatMap((spec) =>
  spec.operations.flatMap((operation) =>
    operation.responses.flatMap((response) =>
      response.content.flatMap((media) =>
        media.examples.map((example) => ({
          api: spec.name.split('-')[0]!,
          operationId: operation.operationId,
          status: response.status,
          example,
        })),
      ),
    ),
  ),
);

let mock: RunningMock;
let client: MockClient;
beforeAll(async () => {
  // Scenarios are asked for many times on one credential: Easify's 15 a minute is not what is tested here.
  mock = await startMock({ port: 0, rateLimit: false });
  client = await MockClient.connect(mock);
});
afterAll(() => mock.close());

describe('Prefer: code=..., example=...', () => {
  it('covers every example of the specs', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  it.each(scenarios.map((s) => [`${s.api} ${s.operationId} ${s.status} ${s.example.name}`, s] as const))(
    '%s',
    async (_, scenario) => {
      const answer = await client.call(scenario.api, scenario.operationId, {
        params: { accountId: ACCOUNT },
        headers: { prefer: `code=${scenario.status}, example=${scenario.example.name}` },
      });
      expect(answer.status).toBe(Number(scenario.status));
      expect(answer.json).toEqual(scenario.example.value);
    },
  );

  it('selects by the __code/__example query parameters too, as Prism does', async () => {
    const answer = await client.call('easify', 'createContactGroup', { query: '__code=429&__example=rate-limited' });
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('59');
  });

  it('serves the 204 of an update without a body', async () => {
    const answer = await client.call('bigchange', 'updateContactGroup', { headers: { prefer: 'code=204' } });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
  });

  it('refuses an undocumented status with a problem, as Prism does', async () => {
    const answer = await client.call('easify', 'createContactGroup', {
      headers: { prefer: 'code=418' },
      unchecked: true,
    });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ status: 404, detail: expect.stringContaining('418') });
  });

  it('refuses an unknown example, of a named code or not, with a 404 naming it, never a 5xx', async () => {
    for (const [prefer, names] of [
      ['code=422, example=nope', 'the documented 422 response has no example named "nope"'],
      ['code=200, example=nope', 'the documented 200 response has no example named "nope"'],
      ['example=nope', 'nope'],
    ] as const) {
      const answer = await client.call('easify', 'createContactGroup', { headers: { prefer }, unchecked: true });
      expect(answer.status, prefer).toBe(404);
      expect(answer.json).toMatchObject({ status: 404, detail: expect.stringContaining(names) });
    }
  });

  it('still validates and authenticates before serving a chosen scenario', async () => {
    const invalid = await client.call('easify', 'createContactGroup', { body: {}, headers: { prefer: 'code=200' } });
    expect(invalid.status).toBe(422);
    const anonymous = await client.call('easify', 'createContactGroup', {
      headers: { prefer: 'code=200', authorization: undefined },
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('dynamic data', () => {
  it.each([
    ['bigchange', 'createContactGroup'],
    ['8x8', 'createContact'],
    ['eloqua', 'createContactSegment'],
    ['easify', 'createContactGroup'],
  ])('Prefer: dynamic=true on %s generates a conforming record (with its state id)', async (api, operationId) => {
    for (let i = 0; i < 5; i++) {
      const body =
        api === '8x8' ? { addresses: { msisdn: `1651111${String(i).padStart(4, '0')}` } } : { name: `dynamic ${i}` };
      const answer = await client.call(api, operationId, {
        params: { accountId: ACCOUNT },
        body,
        headers: { prefer: 'dynamic=true' },
      });
      expect(answer.status).toBeLessThan(300);
    }
  });

  it('--dynamic (startMock dynamic) replaces the examples', async () => {
    const dynamicMock = await startMock({ port: 0, dynamic: true });
    try {
      const dynamicClient = await MockClient.connect(dynamicMock);
      const answer = await dynamicClient.call('eloqua', 'createContactSegment', { body: { name: 'generated' } });
      expect(answer.status).toBe(201);
      const record = answer.json as Record<string, unknown>;
      expect(record.name).toBe('generated');
      // The documented example's read-only values are replaced by generated ones.
      expect([record.createdAt, record.createdBy, record.folderId]).not.toEqual(['1718899200', '11', '1204']);
    } finally {
      await dynamicMock.close();
    }
  });
});
