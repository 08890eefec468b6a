/**
 * Ids with a pattern (Twilio's `US` and 32 hex digits) are the documented one with its end replaced
 * by the count: the 21st create must not get the 1st one's id (a template ending in `...f321` and the
 * count 1 made `...f321` again) and replace its record.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';

const SPEC = `openapi: 3.0.1
info: {title: patterned ids, version: '1'}
paths:
  /v1/Users:
    post:
      operationId: CreateUser
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, required: [identity], properties: {identity: {type: string}}}
      responses:
        '201': {description: Created, content: {application/json: {schema: {$ref: '#/components/schemas/user'}}}}
    get:
      operationId: ListUser
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {type: object, properties: {users: {type: array, items: {$ref: '#/components/schemas/user'}}}}
  /v1/Users/{Sid}:
    get:
      operationId: FetchUser
      parameters: [{name: Sid, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/user'}}}}
        '404': {description: missing}
components:
  schemas:
    user:
      type: object
      properties:
        sid: {type: string, readOnly: true, pattern: '^US[0-9a-fA-F]{32}$', minLength: 34, maxLength: 34}
        identity: {type: string}
`;

let dir = '';
let mock: RunningMock;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patterned-ids-'));
  const file = join(dir, 'users.yaml');
  await writeFile(file, SPEC);
  mock = await startMock({ port: 0, specFiles: [file], rateLimit: false });
});
afterAll(async () => {
  await mock?.close();
  await rm(dir, { recursive: true, force: true });
});

test('every create of a patterned id gets an id of its own, and every record stays', async () => {
  const base = mock.apis[0]!.baseUrl;
  const sids: string[] = [];
  for (let i = 1; i <= 120; i++) {
    const created = await request(`${base}/v1/Users`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `identity=u${i}`,
    });
    expect(created.statusCode).toBe(201);
    const body = (await created.body.json()) as { sid: string };
    expect(body.sid).toMatch(/^US[0-9a-fA-F]{32}$/);
    sids.push(body.sid);
  }
  expect(new Set(sids).size).toBe(sids.length);
  const listed = (await (await request(`${base}/v1/Users`)).body.json()) as { users: { sid: string }[] };
  expect(listed.users).toHaveLength(120);
  const first = await request(`${base}/v1/Users/${sids[0]}`);
  expect(first.statusCode).toBe(200);
  expect(((await first.body.json()) as { identity: string }).identity).toBe('u1');
});
