/** A create answering its id as the collection's own id name (Auth0's `user_id`) beside `/users/{id}`. */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';
import { sendJson } from '../support/send-json.js';

const SPEC = 'tests/fixtures/openapi/user-id-answer.yaml';
const run = (baseUrl: string) => runConformance(['--spec', SPEC, '--base-url', baseUrl, '--seed', '7', '--cleanup']);

it('the mock keeps users by user_id; the runner reads, updates and deletes the users it made there', async () => {
  const mock = await startMock({ port: 0, specFiles: [SPEC] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const made = (await (await sendJson(`${base}/users`, 'POST', { email: 'ada@example.com' })).json()) as {
      user_id: string;
    };
    expect((await fetch(`${base}/users/${encodeURIComponent(made.user_id)}`)).status).toBe(200);
    expect((await fetch(`${base}/users/never-made`)).status).toBe(404);
    const result = await run(base);
    expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
    expect(result.stdout).toMatch(/cleanup: [1-9]\d* records the run created deleted; 0 left behind/);
  } finally {
    await mock.close();
  }
});

it('a server whose user delete keeps the user is caught', async () => {
  let next = 1;
  const users = new Map<string, Record<string, unknown>>();
  const server = await jsonServer(({ method, url, body, json }): JsonAnswer => {
    const id = /^\/users\/([^/]+)$/.exec(url.pathname)?.[1];
    const sent = isObject(body) ? body : {};
    if (id === undefined) {
      const keys = Object.keys(sent);
      const valid =
        json &&
        typeof sent.email === 'string' &&
        /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(sent.email) &&
        (sent.name === undefined ||
          (typeof sent.name === 'string' && sent.name.length >= 1 && sent.name.length <= 50)) &&
        keys.every((k) => k === 'email' || k === 'name');
      if (!valid) return { status: 400 };
      const user = { user_id: `auth0|${next++}`, ...sent };
      users.set(user.user_id, user);
      return { status: 201, body: user };
    }
    const user = users.get(decodeURIComponent(id));
    if (!user) return { status: 404 };
    // The fault: a delete answers 204 and keeps the user.
    if (method === 'DELETE') return { status: 204 };
    if (method === 'PATCH') {
      const valid =
        json &&
        isObject(body) &&
        Object.keys(sent).every((k) => k === 'name') &&
        (sent.name === undefined || (typeof sent.name === 'string' && sent.name.length >= 1 && sent.name.length <= 50));
      if (!valid) return { status: 400 };
      Object.assign(user, sent);
    }
    return { status: 200, body: user };
  });
  try {
    expectFailures(await run(server.url), ['resource_availability getUser']);
  } finally {
    await server.close();
  }
});
