/**
 * A link may take its value from the request its source sent (`$request.body#/email`) and name its
 * target by `operationRef`: a contact made by a create that answers only a number is read back by
 * its email, so a server that loses it is caught and one that keeps it passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import type { LocalServer } from '../support/local-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/request-links.yaml';
/** The same API without the link: the REST shape reads `/contacts/{email}` as named by the email sent. */
const NO_LINK = 'tests/fixtures/openapi/sent-key.yaml';

/** `keeps`: whether a contact made can be read back by its email. */
async function contactsServer(keeps: boolean) {
  const contacts = new Map<string, { id: number; email: string; name?: string }>();
  const read: string[] = [];
  const created: string[] = [];
  let next = 1;
  const server = await jsonServer(({ method, url, body, json }) => {
    const email = /^\/contacts\/([^/]+)$/.exec(url.pathname)?.[1];
    if (email !== undefined && method === 'DELETE') {
      const gone = keeps && contacts.delete(decodeURIComponent(email));
      return { status: gone ? 204 : 404 };
    }
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
    created.push(contact.email);
    return { status: 201, body: { id: contact.id } };
  });
  return { server, contacts, read, created };
}

describe.each([
  ['a link that reads the request', FIXTURE, ['resource_availability getContact']],
  [
    'an item path named for an attribute the create sends',
    NO_LINK,
    ['resource_availability getContact', 'resource_availability deleteContact'],
  ],
])('%s', (_, spec, caught) => {
  let server: LocalServer | undefined;
  afterEach(() => server?.close());

  it('feeds the target the email the create sent: a server that keeps its contacts passes', async () => {
    const target = await contactsServer(true);
    server = target.server;
    const run = await runConformance(['--spec', spec, '--base-url', server.url, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const made = new Set(target.created);
    expect(target.read.filter((email) => made.has(email)).length).toBeGreaterThan(0);
    expect(run.report?.operations.getContact?.checks.resource_availability?.passed).toBeGreaterThan(0);
    // What a DELETE by email can remove, the cleanup did; without one, the contacts stay (and are listed).
    expect(target.contacts.size === 0).toBe(spec === NO_LINK);
  });

  it('a server that loses what it made is caught, by the availability of the record only', async () => {
    const target = await contactsServer(false);
    server = target.server;
    const run = await runConformance(['--spec', spec, '--base-url', server.url, '--seed', '7']);
    expectFailures(run, caught);
  });
});

it('the mock keeps contacts by the email they were made with: read and deleted by it, an unknown one is a 404, and the run passes', async () => {
  const mock = await startMock({ port: 0, specFiles: [NO_LINK] });
  try {
    const baseUrl = mock.apis[0]!.baseUrl;
    const run = await runConformance(['--spec', NO_LINK, '--base-url', baseUrl, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const made = await fetch(`${baseUrl}/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', name: 'Ada' }),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: number };
    const read = await fetch(`${baseUrl}/contacts/ada%40example.com`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id, email: 'ada@example.com', name: 'Ada' });
    expect((await fetch(`${baseUrl}/contacts/bob%40example.com`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/contacts/ada%40example.com`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${baseUrl}/contacts/ada%40example.com`)).status).toBe(404);
  } finally {
    await mock.close();
  }
});

describe('the mock keeps records by the attribute their paths name them by', () => {
  let mock: Awaited<ReturnType<typeof startMock>> | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('updates that send another email, records under a contact and a cleanup by email: the run passes and leaves no contact', async () => {
    const spec = 'tests/fixtures/openapi/sent-key-full.yaml';
    mock = await startMock({ port: 0, specFiles: [spec] });
    const baseUrl = mock.apis[0]!.baseUrl;
    const run = await runConformance(['--spec', spec, '--base-url', baseUrl, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const state = (await (await fetch(`${mock.url}/__mock/state`)).json()) as Record<string, Record<string, unknown[]>>;
    expect(Object.values(state)[0]?.['/contacts']).toEqual([]);
    // A note goes under a contact by its email, not by its number; a second create of an email replaces the first.
    const { id } = (await (await post(`${baseUrl}/contacts`, { email: 'ada@example.com' })).json()) as { id: number };
    expect((await post(`${baseUrl}/contacts/ada%40example.com/notes`, { text: 'hi' })).status).toBe(201);
    expect((await post(`${baseUrl}/contacts/${id}/notes`, { text: 'hi' })).status).toBe(404);
    expect((await post(`${baseUrl}/contacts`, { email: 'ada@example.com', name: 'Ada' })).status).toBe(201);
    expect((await fetch(`${baseUrl}/contacts/ada%40example.com`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${baseUrl}/contacts/ada%40example.com`)).status).toBe(404);
  });

  it('a create sending a form names its records by the email in it', async () => {
    const spec = 'tests/fixtures/openapi/sent-key-form.yaml';
    mock = await startMock({ port: 0, specFiles: [spec] });
    const run = await runConformance(['--spec', spec, '--base-url', mock.apis[0]!.baseUrl, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.report?.operations.getContact?.checks.resource_availability?.passed).toBeGreaterThan(0);
    expect(run.report?.unreached ?? []).toEqual([]);
  });

  it('teams named within orgs, replaced and patched without their names, contacts named by a write-only email: the run passes', async () => {
    const spec = 'tests/fixtures/openapi/sent-key-more.yaml';
    mock = await startMock({ port: 0, specFiles: [spec] });
    const run = await runConformance(['--spec', spec, '--base-url', mock.apis[0]!.baseUrl, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    const state = (await (await fetch(`${mock.url}/__mock/state`)).json()) as Record<string, Record<string, unknown[]>>;
    const held = Object.values(state)[0]!;
    expect([held['/orgs/{slug}/teams'], held['/contacts']]).toEqual([[], []]);
  });

  it('a number sent is found by the number the path gives', async () => {
    mock = await startMock({ port: 0, specFiles: ['tests/fixtures/openapi/sent-key-number.yaml'] });
    const baseUrl = mock.apis[0]!.baseUrl;
    expect((await post(`${baseUrl}/accounts`, { number: 1234 })).status).toBe(201);
    const read = await fetch(`${baseUrl}/accounts/1234`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ number: 1234 });
    expect((await fetch(`${baseUrl}/accounts/1235`)).status).toBe(404);
  });

  it("a link that reads the create's body keys the records, whatever the path parameter's name", async () => {
    const spec = 'tests/fixtures/openapi/request-links-ref.yaml';
    mock = await startMock({ port: 0, specFiles: [spec] });
    const baseUrl = mock.apis[0]!.baseUrl;
    const { id } = (await (await post(`${baseUrl}/contacts`, { email: 'ada@example.com' })).json()) as { id: number };
    expect((await fetch(`${baseUrl}/contacts/ada%40example.com`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/contacts/${id}`)).status).toBe(404);
    const run = await runConformance(['--spec', spec, '--base-url', baseUrl, '--seed', '7']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
  });
});
