/**
 * A text the schema types as any string but whose example is an email address is made unique as an
 * address: the stamp goes in its local part, on a domain reserved for examples (not the example's own,
 * which may be someone's), so a server holding it to be an address takes every case sending it.
 */
import { describe, expect, it } from 'vitest';
import { jsonServer } from '../support/json-server.js';
import { COMMON, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/email-shaped-text.yaml';

/** Local part, then a domain of host-name labels ending in a name: what an address-checking server takes. */
const ADDRESS = /^[^\s@]+@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;

/** A server that does what the document says: a text with an '@' must be a valid address, each taken once. */
function subscribersServer(created: string[]) {
  const invalid = (message: string) => ({ status: 422, body: { errors: [message] } });
  const kept = new Map<number, { id: number; email_address: string }>();
  return jsonServer(({ method, url, body, json }) => {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'subscribers') return { status: 404, body: { errors: ['Not Found'] } };
    if (parts.length === 1 && method === 'POST') {
      const email = (body as { email_address?: unknown } | undefined)?.email_address;
      if (!json || typeof body !== 'object' || body === null || Array.isArray(body) || typeof email !== 'string')
        return invalid('Email address is invalid');
      if (email.includes('@') && !ADDRESS.test(email)) return invalid('Email address is invalid');
      if (created.includes(email)) return invalid('Email address has already been taken');
      created.push(email);
      const subscriber = { id: kept.size + 1, email_address: email };
      kept.set(subscriber.id, subscriber);
      return { status: 201, body: { subscriber } };
    }
    const subscriber = kept.get(Number(parts[1]));
    if (parts.length === 2 && method === 'GET' && subscriber) return { status: 200, body: { subscriber } };
    return { status: 404, body: { errors: ['Not Found'] } };
  }, invalid('Email address is invalid'));
}

describe('an email-shaped text typed as any string', () => {
  it('is stamped in its local part on a reserved domain: a server checking addresses passes, each taken once', async () => {
    const created: string[] = [];
    const server = await subscribersServer(created);
    try {
      const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, ...COMMON]);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      const addresses = created.filter((email) => email.includes('@'));
      // The example's create, the lifecycle's and the one a read takes its id from, at least.
      expect(addresses.length).toBeGreaterThanOrEqual(3);
      expect(new Set(addresses).size).toBe(addresses.length);
      for (const address of addresses) expect(address).toMatch(/^c[0-9a-z]+@example\.com$/);
      expect(run.report?.operations.get_subscriber?.checks.stateful_rules?.passed).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
