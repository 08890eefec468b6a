/** A list answered as a list or, asked for totals, a wrapper (Auth0's `oneOf: [Role[], {roles, total}]`). */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const SPEC = 'tests/fixtures/openapi/list-oneof-array.yaml';

/** Auth0's roles; `keeps`: a delete answers 204 and keeps the role (the read documents no 404 to show it). */
function roles(keeps = false) {
  let next = 1;
  const stored = new Map<string, { id: string; name: string }>();
  return jsonServer(({ method, url, body, json }): JsonAnswer => {
    const id = /^\/roles\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id === undefined) {
      if (method === 'GET') {
        const all = [...stored.values()];
        return {
          status: 200,
          body: url.searchParams.get('include_totals') === 'true' ? { roles: all, total: all.length } : all,
        };
      }
      const valid =
        json && isObject(body) && typeof body.name === 'string' && body.name.length >= 1 && body.name.length <= 50;
      if (!valid || Object.keys(body).length !== 1) return { status: 400 };
      const role = { id: `rol_${next++}`, name: body.name as string };
      stored.set(role.id, role);
      return { status: 200, body: role };
    }
    const role = stored.get(id);
    if (method === 'DELETE') {
      if (!role) return { status: 404 };
      if (!keeps) stored.delete(id);
      return { status: 204 };
    }
    return role ? { status: 200, body: role } : { status: 404 };
  });
}

it('a server answering either shape passes, its list read for the records the run made', async () => {
  const server = await roles();
  try {
    const run = await runConformance(['--spec', SPEC, '--base-url', server.url, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.stdout).toMatch(/listRoles +stateful_rules +[1-9]/);
  } finally {
    await server.close();
  }
});

it('a server whose delete keeps the role is caught by the list after it', async () => {
  const server = await roles(true);
  try {
    expectFailures(await runConformance(['--spec', SPEC, '--base-url', server.url, '--seed', '7']), [
      'stateful_rules listRoles',
    ]);
  } finally {
    await server.close();
  }
});
