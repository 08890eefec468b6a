/**
 * A create whose answer types its id as a plain string, read back by a path parameter that is a
 * UUID (resend's automations): the mock makes UUIDs, so the record it answers with is found again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';

const SPEC = `openapi: 3.0.3
info: {title: uuid path id, version: '1'}
paths:
  /automations:
    post:
      operationId: createAutomation
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}, name: {type: string}}}
        '400': {description: bad}
  /automations/{automation_id}:
    get:
      operationId: getAutomation
      parameters:
        - {name: automation_id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}, name: {type: string}}}
        '400': {description: bad}
        '404': {description: missing}
`;

let dir = '';
let mock: RunningMock;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'uuid-ids-'));
  const file = join(dir, 'uuid.yaml');
  await writeFile(file, SPEC);
  mock = await startMock({ port: 0, specFiles: [file], rateLimit: false });
});
afterAll(async () => {
  await mock?.close();
  await rm(dir, { recursive: true, force: true });
});

test('a created id is a UUID when the read takes one, and the read finds the record by it', async () => {
  const base = mock.apis[0]!.baseUrl;
  const created = await request(`${base}/automations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'welcome' }),
  });
  expect(created.statusCode).toBe(201);
  const { id } = (await created.body.json()) as { id: string };
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const read = await request(`${base}/automations/${id}`);
  expect(read.statusCode).toBe(200);
  expect(await read.body.json()).toEqual({ id, name: 'welcome' });
});
