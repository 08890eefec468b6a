/** Records made under a parent's record and read at the top (Gitea's `POST /orgs/{org}/teams`, `/teams/{id}`). */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';
import { sendJson } from '../support/send-json.js';

const SPEC = 'tests/fixtures/openapi/team-top-level-item.yaml';
const run = (baseUrl: string) => runConformance(['--spec', SPEC, '--base-url', baseUrl, '--seed', '7', '--cleanup']);

it('the mock reads the teams it made at /teams/{id}; the runner follows each and deletes it there', async () => {
  const mock = await startMock({ port: 0, specFiles: [SPEC] });
  try {
    const result = await run(mock.apis[0]!.baseUrl);
    expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
    expect(result.stdout).toMatch(/cleanup: [1-9]\d* records the run created deleted; 0 left behind/);
    expect(result.stdout).toMatch(/orgGetTeam +stateful_rules +[1-9]/);
  } finally {
    await mock.close();
  }
});

it('a server ignoring a team update at /teams/{id} is caught by the read after it', async () => {
  let next = 1;
  const teams = new Map<number, { id: number; name: string }>();
  const server = await jsonServer(
    ({ method, url, body, json }): JsonAnswer => {
      const name = isObject(body) && typeof body.name === 'string' ? body.name : undefined;
      if (/^\/api\/v1\/orgs\/[^/]+\/teams$/.test(url.pathname)) {
        if (method !== 'POST' || !json || name === undefined) return { status: 404 };
        const team = { id: next++, name };
        teams.set(team.id, team);
        return { status: 201, body: team };
      }
      const team = teams.get(Number(/^\/api\/v1\/teams\/(\d+)$/.exec(url.pathname)?.[1]));
      if (!team) return { status: 404 };
      if (method === 'DELETE') teams.delete(team.id);
      // The fault: an update answers the team as it was, and keeps it so.
      return method === 'DELETE' ? { status: 204 } : { status: 200, body: team };
    },
    { status: 404 },
  );
  try {
    expectFailures(await run(`${server.url}/api/v1`), ['stateful_rules orgGetTeam']);
  } finally {
    await server.close();
  }
});

it("records read at the top that answer another schema are not the nested create's (Stripe's balance transactions)", async () => {
  const run = await runConformance(
    ['--spec', 'tests/fixtures/openapi/nested-create-other-top.yaml', '--base-url', 'http://127.0.0.1:9', '--dry-run'],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  expect(run.stdout).not.toMatch(/GET \S+\/v1\/balance_transactions\/\{PostCustomersCustomerBalanceTransactions/);
});

it('a team made under an org answering only its Location is given its URL at the top, where it reads', async () => {
  const mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/location-flat.yaml'] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const org = (await (await sendJson(`${base}/orgs`, 'POST', { name: 'o' })).json()) as { id: number };
    const made = await sendJson(`${base}/orgs/${org.id}/teams`, 'POST', { name: 'a' });
    expect(made.status).toBe(201);
    const location = made.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${base}/teams/\\d+$`));
    expect(await (await fetch(location)).json()).toMatchObject({ name: 'a' });
    const result = await runConformance([
      '--spec',
      'tests/fixtures/openapi/location-flat.yaml',
      '--base-url',
      base,
      '--seed',
      '7',
      '--cleanup',
    ]);
    expect(result.code, `${result.describe()}\n${summarize(result.report)}`).toBe(0);
    expect(result.stdout).not.toMatch(/left: createTeam/);
  } finally {
    await mock.close();
  }
});

it('records with item paths under their parent are not read at the top too (GitLab issues: iid there, id at the top)', async () => {
  const run = await runConformance(
    [
      '--spec',
      'tests/fixtures/openapi/nested-and-top-items.yaml',
      '--base-url',
      'https://api.example.com',
      '--live',
      '--dry-run',
      '--seed',
      '7',
    ],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  // No valid delete at the top is fed an id of the run's issues, nor sent: another project's issue 7 may be there.
  const lines = run.stdout.split('\n');
  const sent = lines.filter((line, i) => /positive/.test(lines[i - 1] ?? '') && /DELETE \S+\/issues\//.test(line));
  expect(sent.filter((line) => !/\/projects\//.test(line))).toEqual([]);
});
