/**
 * A link may take its value from the request its source sent (`$request.body#/email`) and name its
 * target by `operationRef`: a contact made by a create that answers only a number is read back by
 * its email, so a server that loses it is caught and one that keeps it passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/request-links.yaml';

/** `keeps`: whether a contact made can be read back by its email. */
async function contactsServer(keeps: boolean) {
  const contacts = new Map<string, { id: number; email: string; name?: string }>();
  const read: string[] = [];
  let next = 1;
  const server = await jsonServer(({ method, url, body, json }) => {
    const email = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    if (email !== undefined && method === 'GET') {
      const contact = keeps ? contacts.get(decodeURIComponent(email)) : undefined;
      read.push(decodeURIComponent(email));
      return contact ? { status: 200, body: contact } : { status: 404 };
    }
    const sent = body as Record<string, unknown> | undefined;
    const valid =
      json &&
      typeof sent === 'object' &&
      sent !== null &&
      typeof sent.email === 'string' &&
      /^[^@\s]+@[^@\s]+$/.test(sent.email) &&
      sent.email.length <= 100 &&
      (sent.name === undefined || (typeof sent.name === 'string' && sent.name.length <= 50)) &&
      Object.keys(sent).every((key) => key === 'email' || key === 'name');
    if (!valid) return { status: 400 };
    const contact = { id: next++, email: sent.email as string, ...(sent.name ? { name: sent.name as string } : {}) };
    contacts.set(contact.email, contact);
    return { status: 201, body: { id: contact.id } };
  });
  return { server, contacts, read };
}

describe('a link that reads the request', () => {
  let server: LocalServer | undefined;
  afterEach(() => server?.close());

  it('feeds the target the email the create sent: a server that keeps its contacts passes', async () => {
    const target = await contactsServer(true);
    server = target.server;
    const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const made = new Set(target.contacts.keys());
    expect(target.read.filter((email) => made.has(email)).length).toBeGreaterThan(0);
    expect(run.report?.operations.getContact?.checks.resource_availability?.passed).toBeGreaterThan(0);
  });

  it('a server that loses what it made is caught, by the availability of the record only', async () => {
    const target = await contactsServer(false);
    server = target.server;
    const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, '--seed', '7']);
    expectFailures(run, ['resource_availability getContact']);
  });
});
