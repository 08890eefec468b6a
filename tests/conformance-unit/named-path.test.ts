/** An item path naming its records by something else than the id the create answers (Gitea's `/orgs/{org}`). */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { jsonServer } from '../support/json-server.js';
import { runConformance, summarize } from '../support/runner.js';

const SPEC = 'tests/fixtures/openapi/org-by-name.yaml';

it("never sends a made org's number where the path names orgs by name: others' orgs called so stay", async () => {
  // Orgs by name; someone else's are named like the numbers the run's creates answer.
  const orgs = new Map<string, { id: number; username: string; name: string }>();
  let next = 1;
  const add = (username: string) => orgs.set(username, { id: next++, username, name: username });
  for (const name of ['1', '2', '3', '4', '5', '6', '7', '8']) add(name);
  const server = await jsonServer(
    ({ method, url, body, json }) => {
      const name = /^\/api\/v1\/orgs\/([^/]+)$/.exec(url.pathname)?.[1];
      if (name === undefined) {
        const username = isObject(body) ? body.username : undefined;
        if (method !== 'POST' || !json || typeof username !== 'string') return { status: 422 };
        if (orgs.has(username)) return { status: 422 };
        add(username);
        return { status: 201, body: orgs.get(username) };
      }
      const org = orgs.get(decodeURIComponent(name));
      if (!org) return { status: 404 };
      if (method === 'DELETE') orgs.delete(org.username);
      return method === 'DELETE' ? { status: 204 } : { status: 200, body: org };
    },
    { status: 422 },
  );
  try {
    const run = await runConformance([
      '--spec',
      SPEC,
      '--base-url',
      `${server.url}/api/v1`,
      '--seed',
      '7',
      '--cleanup',
    ]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    for (const name of ['1', '2', '3', '4', '5', '6', '7', '8']) expect(orgs.has(name), name).toBe(true);
    // What the run made it cannot name: listed as left, never counted as deleted.
    expect(run.stdout).toMatch(/cleanup: 0 records the run created deleted; [1-9]\d* left behind/);
  } finally {
    await server.close();
  }
});

it('a live run holds a delete of an org it cannot name, and plans no number for it', async () => {
  const run = await runConformance(
    ['--spec', SPEC, '--base-url', 'https://api.example.com/api/v1', '--seed', '7', '--live', '--dry-run'],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  expect(run.stdout).not.toMatch(/\/orgs\/\{orgCreate/);
  expect(run.stdout).toMatch(/orgDelete positive: .* not sent to a target holding others' records/);
});
