/**
 * Exactly what README.md (and docs/MOCK.md) shows a frontend developer: a typed client from the generated types
 * with openapi-fetch, against the running mock. Only the base URL differs (an ephemeral port).
 */
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { paths } from '../../generated/bigchange-contact-groups.js';
import { type RunningMock, startMock } from '../../mocks/server.js';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ port: 0 });
});
afterAll(() => mock.close());

it('creates, updates and gets the vendor error, as the README snippet shows', async () => {
  const bigchange = createClient<paths>({
    baseUrl: `${mock.url}/bigchange`,
    headers: { Authorization: 'Bearer any-token' },
  });

  const created = await bigchange.POST('/v1/contactGroups', {
    params: { header: { 'Customer-Id': 14532 } },
    body: { name: 'Field engineers' },
  });
  expect(created.response.status).toBe(201);
  expect(created.data).toEqual({ id: 10452 });

  const updated = await bigchange.PATCH('/v1/contactGroups/{contactGroupId}', {
    params: { path: { contactGroupId: created.data!.id }, header: { 'Customer-Id': 14532 } },
    body: { name: 'Field engineers (north)' },
  });
  expect(updated.response.status).toBe(204);

  const unknown = await bigchange.PATCH('/v1/contactGroups/{contactGroupId}', {
    params: { path: { contactGroupId: 99999 }, header: { 'Customer-Id': 14532 } },
    body: { name: 'Nobody' },
  });
  expect(unknown.response.status).toBe(404);
  expect(unknown.error).toMatchObject({ status: 404, detail: 'contactGroupId 99999 was not found' });

  const invalid = await bigchange.POST('/v1/contactGroups', {
    params: { header: { 'Customer-Id': 14532 } },
    body: { name: '' },
  });
  expect(invalid.response.status).toBe(422);
  expect(invalid.error).toMatchObject({
    status: 422,
    errors: { name: ['name must NOT have fewer than 1 characters (inferred: not stated by the vendor)'] },
  });
});
