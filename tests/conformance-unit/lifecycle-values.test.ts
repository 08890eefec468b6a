/**
 * What the lifecycle writes and reads back: the create and the update write values of their own (a
 * server keeping names unique takes both; an update it does not keep is seen), and a read is compared
 * one level down too (HubSpot's `properties`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/lifecycle-update.yaml';

type Fault = 'none' | 'update not kept' | 'nested read wrong';
type Contact = { id: string; name: string; properties: { firstname: string } };

/** Contacts with unique names, as the document's prose says; `fault` breaks one thing. */
async function contactsServer(fault: Fault): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const contacts = new Map<string, Contact>();
  let next = 1;
  const valid = (body: unknown): body is Contact => {
    if (!isObject(body) || typeof body.name !== 'string') return false;
    const { properties } = body;
    return isObject(properties) && typeof properties.firstname === 'string' && properties.firstname.length <= 40;
  };
  const server: Server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const send = (status: number, body?: unknown) => {
        response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        response.end(body === undefined ? undefined : JSON.stringify(body));
      };
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        return send(400);
      }
      if (text !== '' && request.headers['content-type'] !== 'application/json') return send(400);
      const taken = (name: unknown, self?: string) =>
        [...contacts.values()].some((c) => c.name === name && c.id !== self);
      const id = /^\/contacts\/([^/]+)$/.exec(new URL(request.url ?? '/', 'http://x').pathname)?.[1];
      if (id === undefined) {
        if (request.method !== 'POST' || !valid(body) || taken(body.name)) return send(400);
        const contact = { ...(body as Contact), id: String(next++) };
        contacts.set(contact.id, contact);
        return send(201, contact);
      }
      const contact = contacts.get(decodeURIComponent(id));
      if (!contact) return send(404);
      if (request.method === 'GET') {
        return send(200, fault === 'nested read wrong' ? { ...contact, properties: { firstname: 'WRONG' } } : contact);
      }
      if (request.method === 'DELETE') {
        contacts.delete(contact.id);
        return send(204);
      }
      if (!valid(body) || taken(body.name, contact.id)) return send(400);
      const updated = { ...contact, ...body };
      if (fault !== 'update not kept') contacts.set(contact.id, updated);
      return send(200, updated);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

it.each([
  ['none', 'nothing (it keeps names unique, as its prose says)'],
  ['update not kept', 'the record does not show what the updateContact wrote'],
  ['nested read wrong', 'the record does not show what the create wrote'],
] as const)('a server with the fault "%s" fails with: %s', async (fault, message) => {
  const target = await contactsServer(fault);
  try {
    const run = await runConformance(['--spec', FIXTURE, '--base-url', target.baseUrl, '--seed', '7']);
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
