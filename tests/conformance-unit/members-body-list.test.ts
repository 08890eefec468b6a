/** Members added and removed as a list of ids in the body (Auth0's `POST|DELETE /organizations/{id}/members`). */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { runConformance, summarize } from '../support/runner.js';

const SPEC = 'tests/fixtures/openapi/members-body-list.yaml';

it('a live run names only users it made in the members it adds and removes', async () => {
  const run = await runConformance(
    ['--spec', SPEC, '--base-url', 'https://api.example.com', '--seed', '7', '--live', '--dry-run'],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  const lines = run.stdout.split('\n');
  const sent = lines.filter((line, i) => /^#\d+ (add|remove)Members .*positive/.test(lines[i - 1] ?? '') && line);
  expect(sent.length).toBeGreaterThan(0);
  for (const line of sent) expect(line).toMatch(/\{"members":\[("\{createUser \$response\.body#\/id\}",?)*\]\}$/);
});

it('a server refusing users that do not exist passes, and the adds leave no record behind', async () => {
  let next = 1;
  const users = new Map<string, string>();
  const orgs = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  const server = await jsonServer(
    ({ method, url, body, json }): JsonAnswer => {
      const [, kind, id, sub] = url.pathname.split('/');
      const sent = isObject(body) ? body : {};
      if (id === undefined) {
        if (!json || typeof sent.name !== 'string' || sent.name.length < 1 || sent.name.length > 50)
          return { status: 400 };
        if (Object.keys(sent).some((key) => key !== 'name')) return { status: 400 };
        const made = `${kind === 'users' ? 'u' : 'o'}${next++}`;
        if (kind === 'users') users.set(made, sent.name);
        else orgs.set(made, new Set());
        names.set(made, sent.name);
        return { status: 201, body: { id: made, name: sent.name } };
      }
      if (kind === 'users') {
        if (!users.has(id)) return { status: 404 };
        if (method === 'DELETE') users.delete(id);
        return method === 'DELETE' ? { status: 204 } : { status: 200, body: { id, name: names.get(id) } };
      }
      const members = orgs.get(id);
      if (!members) return { status: 404 };
      if (sub === undefined) {
        if (method === 'DELETE') orgs.delete(id);
        return method === 'DELETE' ? { status: 204 } : { status: 200, body: { id, name: names.get(id) } };
      }
      if (method === 'GET')
        return { status: 200, body: [...members].map((user_id) => ({ user_id, name: names.get(user_id) })) };
      const list = sent.members;
      if (!json || !Array.isArray(list) || !list.every((u) => typeof u === 'string')) return { status: 400 };
      // Auth0: the users must already exist.
      if (method === 'POST' && !list.every((u) => users.has(u as string))) return { status: 400 };
      for (const user of list) method === 'POST' ? members.add(user as string) : members.delete(user as string);
      return { status: 204 };
    },
    { status: 400 },
  );
  try {
    const run = await runConformance(['--spec', SPEC, '--base-url', server.url, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.cleanup?.leftovers.filter((l) => l.operationId === 'addMembers')).toEqual([]);
  } finally {
    await server.close();
  }
});

it('the mock keeps the members a run adds and passes its own run', async () => {
  const mock = await startMock({ port: 0, specFiles: [SPEC] });
  try {
    const run = await runConformance(['--spec', SPEC, '--base-url', mock.apis[0]!.baseUrl, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.stdout).toMatch(/cleanup: [1-9]\d* records the run created deleted; 0 left behind/);
  } finally {
    await mock.close();
  }
});

it('a create sending a list of ids beside its fields, or a list of emails, is no membership', async () => {
  for (const name of ['create-with-id-list', 'list-of-emails-body']) {
    const mock = await startMock({ port: 0, specFiles: [`tests/fixtures/openapi/${name}.yaml`] });
    try {
      const run = await runConformance([
        '--spec',
        `tests/fixtures/openapi/${name}.yaml`,
        '--base-url',
        mock.apis[0]!.baseUrl,
        '--seed',
        '7',
        '--cleanup',
      ]);
      expect(run.code, `${name}\n${run.describe()}\n${summarize(run.report)}`).toBe(0);
    } finally {
      await mock.close();
    }
  }
});
