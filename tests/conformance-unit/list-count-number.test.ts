/**
 * A list's count of all its records typed `number` (`{"contacts": [...], "count": 2}`) is a total as
 * one typed `integer` is: the mock counts stored records there, and the runner reads it to know a
 * page of unknown size holds every record.
 */
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
import { jsonServer } from '../support/json-server.js';
import { expectFailures, runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/list-count-number.yaml';

/** A server that does what the document says; `hides`: a broken one whose list never holds a contact. */
async function contactsServer(hides = false) {
  const contacts: { id: string; firstName: string }[] = [];
  return jsonServer(({ method, body }) => {
    if (method === 'POST') {
      const firstName = (body as { firstName?: unknown } | undefined)?.firstName;
      const contact = { id: `c${contacts.length + 100}`, firstName: typeof firstName === 'string' ? firstName : '' };
      contacts.push(contact);
      return { status: 201, body: { contact } };
    }
    const shown = hides ? [] : contacts;
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

  it('a correct server passes, and one whose list never holds the created contact is caught by the list step alone', async () => {
    const correct = await contactsServer();
    const broken = await contactsServer(true);
    try {
      const passing = await runConformance(['--spec', FIXTURE, '--base-url', correct.url, '--seed', '7']);
      expect(passing.code, `${passing.describe()}\n${summarize(passing.report)}`).toBe(0);
      expect(passing.report?.operations.getContacts?.checks.stateful_rules?.passed).toBeGreaterThan(0);
      expectFailures(await runConformance(['--spec', FIXTURE, '--base-url', broken.url, '--seed', '7']), [
        'stateful_rules getContacts',
      ]);
    } finally {
      await correct.close();
      await broken.close();
    }
  });
});
