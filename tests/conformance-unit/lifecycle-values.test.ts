/**
 * What the lifecycle writes and reads back: the create and the update write values of their own (a
 * server keeping names unique takes both; an update it does not keep is seen), and a read is compared
 * one level down too (HubSpot's `properties`).
 */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/lifecycle-update.yaml';

type Fault = 'none' | 'update not kept' | 'nested read wrong';
type Contact = { id: string; name: string; properties: { firstname: string } };

/** Contacts with unique names, as the document's prose says; `fault` breaks one thing. */
function contactsServer(fault: Fault): Promise<LocalServer> {
  const contacts = new Map<string, Contact>();
  let next = 1;
  const valid = (body: unknown): body is Contact => {
    if (!isObject(body) || typeof body.name !== 'string') return false;
    const { properties } = body;
    return isObject(properties) && typeof properties.firstname === 'string' && properties.firstname.length <= 40;
  };
  const taken = (name: unknown, self?: string) => [...contacts.values()].some((c) => c.name === name && c.id !== self);
  return jsonServer(({ method, url, body, json }) => {
    if (body !== undefined && !json) return { status: 400 };
    const id = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    if (id === undefined) {
      if (method !== 'POST' || !valid(body) || taken(body.name)) return { status: 400 };
      const contact = { ...body, id: String(next++) };
      contacts.set(contact.id, contact);
      return { status: 201, body: contact };
    }
    const contact = contacts.get(decodeURIComponent(id));
    if (!contact) return { status: 404 };
    if (method === 'GET') {
      const shown = fault === 'nested read wrong' ? { ...contact, properties: { firstname: 'WRONG' } } : contact;
      return { status: 200, body: shown };
    }
    if (method === 'DELETE') {
      contacts.delete(contact.id);
      return { status: 204 };
    }
    if (!valid(body) || taken(body.name, contact.id)) return { status: 400 };
    const updated = { ...contact, ...body };
    if (fault !== 'update not kept') contacts.set(contact.id, updated);
    return { status: 200, body: updated };
  });
}

it.each([
  ['none', 'nothing (it keeps names unique, as its prose says)'],
  ['update not kept', 'the record does not show what the updateContact wrote'],
  ['nested read wrong', 'the record does not show what the create wrote'],
] as const)('a server with the fault "%s" fails with: %s', async (fault, message) => {
  const target = await contactsServer(fault);
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', target.url, '--seed', '7']);
    if (fault === 'none') {
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      expect(run.report?.operations.getContact?.checks.stateful_rules?.passed).toBeGreaterThanOrEqual(2);
    } else {
      expect(run.code, run.describe()).toBe(1);
      const failures = run.report?.failures ?? [];
      expect(new Set(failures.map((f) => f.check))).toEqual(new Set(['stateful_rules']));
      expect(failures.map((f) => f.message)).toContain(message);
    }
  } finally {
    await target.close();
  }
});
