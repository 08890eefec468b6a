/**
 * Identifiers sent as lists of texts (`email_address: ["..."]`), each held unique across the server:
 * the runner stamps a list's text items as it stamps text fields, so a server refusing an identifier
 * already taken takes every valid case, and a fault of the server is still found.
 */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/unique-list-items.yaml';

const LISTS = ['email_address', 'phone_number', 'web3_wallet'] as const;
const TEXTS = ['username', 'first_name'] as const;
const STATUSES = new Set(['verified', 'reserved']);

type User = { id: string; username: string | null; first_name: string | null; email_addresses: unknown[] };

/** A body the document allows: known members only, texts or null, lists of texts, statuses from the enum. */
function valid(body: unknown): body is Record<string, unknown> {
  if (!isObject(body)) return false;
  const known = new Set<string>([...LISTS, ...TEXTS, 'email_address_identification_status']);
  if (Object.keys(body).some((name) => !known.has(name))) return false;
  if (TEXTS.some((name) => body[name] !== undefined && body[name] !== null && typeof body[name] !== 'string'))
    return false;
  const texts = (value: unknown) =>
    value === undefined || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
  const statuses = body.email_address_identification_status;
  return (
    LISTS.every((name) => texts(body[name])) &&
    texts(statuses) &&
    ((statuses as string[] | undefined) ?? []).every((s) => STATUSES.has(s))
  );
}

/**
 * Users whose usernames, emails, phones and wallets are unique across the server, as the vendor
 * documents: one already taken is a 422. `dropsFirstName`: a faulty server that keeps no first name, which
 * only a read after a create that wrote one shows: the lifecycle's, which a refused create never lets run.
 */
function usersServer(dropsFirstName = false): Promise<LocalServer> {
  const users = new Map<string, User>();
  const taken = new Set<string>();
  let next = 1;
  return jsonServer(({ method, url, body, json }) => {
    if (body !== undefined && !json) return { status: 400 };
    const id = /^\/users\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id === undefined) {
      if (method !== 'POST' || !valid(body)) return { status: 422 };
      const identifiers = [
        ...(typeof body.username === 'string' ? [`username ${body.username}`] : []),
        ...LISTS.flatMap((name) => ((body[name] as string[] | undefined) ?? []).map((value) => `${name} ${value}`)),
      ];
      if (identifiers.some((key, i) => taken.has(key) || identifiers.indexOf(key) !== i))
        return {
          status: 422,
          body: { errors: [{ code: 'form_identifier_exists', message: 'That identifier is taken.' }] },
        };
      for (const key of identifiers) taken.add(key);
      const user: User = {
        id: `user_${next++}`,
        username: (body.username as string | null | undefined) ?? null,
        first_name: dropsFirstName ? null : ((body.first_name as string | null | undefined) ?? null),
        email_addresses: ((body.email_address as string[] | undefined) ?? []).map((email, i) => ({
          id: `idn_${i}`,
          email_address: email,
        })),
      };
      users.set(user.id, user);
      return { status: 200, body: user };
    }
    const user = users.get(decodeURIComponent(id));
    if (!user) return { status: 404 };
    if (method === 'DELETE') {
      users.delete(user.id);
      return { status: 200, body: { id: user.id, deleted: true } };
    }
    return { status: 200, body: user };
  });
}

it('a server refusing an identifier already taken, as the vendor documents, passes', async () => {
  const target = await usersServer();
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7', '--no-random']);
    expectFailures(run, []);
    // Every valid create was taken, the lifecycle's too: each of its later steps was sent.
    expect(run.report?.operations.createUser?.checks.positive_data_accepted?.passed).toBeGreaterThan(20);
    expect(run.report?.notSentBy, summarize(run.report)).toEqual([]);
  } finally {
    await target.close();
  }
});

it('a server that keeps no first name is flagged by stateful_rules when the lifecycle reads the user', async () => {
  const target = await usersServer(true);
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7', '--no-random']);
    expectFailures(run, ['stateful_rules getUser']);
    expect(run.report?.failures.map((f) => f.message)).toContain('the record does not show what the create wrote');
  } finally {
    await target.close();
  }
});

it('two cases send different list items, and an enum list is left as generated', async () => {
  const run = await runConformance(
    ['--spec', FIXTURE, '--base-url', 'http://127.0.0.1:9', '--seed', '7', '--no-random', '--dry-run'],
    { json: false },
  );
  expect(run.code, run.describe()).toBe(0);
  // The preview may cut a body short; `email_address` comes early enough to be shown whole.
  const lists = [...run.stdout.matchAll(/"email_address":(\[[^\]]*\])/g)].map((m) => JSON.parse(m[1]!) as string[]);
  const items = lists.flat().filter((item) => item !== '');
  expect(items.length, run.stdout).toBeGreaterThan(2);
  expect(new Set(items).size, run.stdout).toBe(items.length);
  // Items of an enum (a status per address) are the enum's, or a negative case's value outside it: never stamped.
  const statuses = [...run.stdout.matchAll(/"email_address_identification_status":(\[[^\]]*\])/g)].flatMap(
    (m) => JSON.parse(m[1]!) as unknown[],
  );
  expect(statuses).toContain('verified');
  expect(statuses.filter((s) => typeof s === 'string' && !/^(verified|reserved)(-not-allowed)?$/.test(s))).toEqual([]);
});
