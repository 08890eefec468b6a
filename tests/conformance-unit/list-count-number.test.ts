/**
 * A list's count of all its records typed `number` (`{"contacts": [...], "count": 2}`) is a total as
 * one typed `integer` is: the mock counts stored records there. The runner does not take an inferred
 * bare `count` to know a page of unknown size holds every record: as often it counts the page.
 */
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import { runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/list-count-number.yaml';

/** A server that does what the document says; `paged`: one whose pages hold 3, the oldest first, counted. */
async function contactsServer(paged = false) {
  const contacts: { id: string; firstName: string }[] = [];
  return jsonServer(({ method, body }) => {
    if (method === 'POST') {
      const firstName = (body as { firstName?: unknown } | undefined)?.firstName;
      const contact = { id: `c${contacts.length + 100}`, firstName: typeof firstName === 'string' ? firstName : '' };
      contacts.push(contact);
      return { status: 201, body: { contact } };
    }
    const shown = paged ? contacts.slice(0, 3) : contacts;
    return { status: 200, body: { contacts: shown, count: shown.length } };
  });
}

describe('a list count typed number', () => {
  it('the mock counts the stored contacts, not the example', async () => {
    const mock = await startMock({ port: 0, specFiles: [FIXTURE] });
    try {
      const baseUrl = mock.apis[0]!.baseUrl;
      const create = (firstName: string) =>
        fetch(`${baseUrl}/contacts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ firstName }),
        });
      expect((await create('Ada')).status).toBe(201);
      expect((await create('Grace')).status).toBe(201);
      const list = (await (await fetch(`${baseUrl}/contacts`)).json()) as { contacts: unknown[]; count: number };
      expect(list.contacts).toHaveLength(2);
      expect(list.count).toBe(2);
      const run = await runConformance(['--spec', FIXTURE, '--base-url', baseUrl, '--seed', '7']);
      expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    } finally {
      await mock.close();
    }
  });

  it('a correct server passes, and so does one whose count counts a page of 3 holding older contacts', async () => {
    for (const paged of [false, true]) {
      const server = await contactsServer(paged);
      try {
        const run = await runConformance(['--spec', FIXTURE, '--base-url', server.url, '--seed', '7']);
        expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
      } finally {
        await server.close();
      }
    }
  });
});
