/** A bodiless POST under a record's path answering that record is an action on it (Clerk's RevokeInvitation). */
import { expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { startMock } from '../../mocks/server.js';
import { type JsonAnswer, jsonServer } from '../support/json-server.js';
import { runConformance, summarize } from '../support/runner.js';
import { sendJson } from '../support/send-json.js';

const SPEC = 'tests/fixtures/openapi/record-action-post.yaml';

it('makes no record of its own: the mock lists only the invitations made, and no revoke is left to clean up', async () => {
  const mock = await startMock({ port: 0, specFiles: [SPEC] });
  try {
    const base = mock.apis[0]!.baseUrl;
    const { id } = (await (await sendJson(`${base}/invitations`, 'POST', { email_address: 'a@b.co' })).json()) as {
      id: string;
    };
    expect((await fetch(`${base}/invitations/${id}/revoke`, { method: 'POST' })).status).toBe(200);
    const listed = (await (await fetch(`${base}/invitations`)).json()) as { id: string }[];
    expect(listed.map((invitation) => invitation.id)).toEqual([id]);
    const run = await runConformance(['--spec', SPEC, '--base-url', base, '--seed', '7', '--cleanup']);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    expect(run.stdout).not.toMatch(/left: revokeInvitation/);
    expect(run.stdout).toMatch(/left: createInvitation/);
  } finally {
    await mock.close();
  }
});

it('a bodiless POST making a copy (/documents/{id}/duplicate) makes a document: the cleanup deletes it', async () => {
  let next = 1;
  const docs = new Map<number, { id: number; title: string }>();
  const server = await jsonServer(({ method, url, body, json }): JsonAnswer => {
    const [, , id, action] = url.pathname.split('/');
    if (id === undefined) {
      if (!json || !isObject(body) || typeof body.title !== 'string') return { status: 400 };
      const doc = { id: next++, title: body.title };
      docs.set(doc.id, doc);
      return { status: 201, body: doc };
    }
    const doc = docs.get(Number(id));
    if (!doc) return { status: 404 };
    if (action === 'duplicate') {
      const copy = { ...doc, id: next++ };
      docs.set(copy.id, copy);
      return { status: 201, body: copy };
    }
    if (method === 'DELETE') docs.delete(doc.id);
    return method === 'DELETE' ? { status: 204 } : { status: 200, body: doc };
  });
  try {
    const run = await runConformance([
      '--spec',
      'tests/fixtures/openapi/record-copy-post.yaml',
      '--base-url',
      server.url,
      '--seed',
      '7',
      '--cleanup',
    ]);
    expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
    // Each copy is a document: the documents' delete removes it with the rest.
    expect(run.stdout).toMatch(/duplicateDocument/);
    expect([...docs.keys()]).toEqual([]);
    expect(run.report?.cleanup?.leftovers).toEqual([]);
  } finally {
    await server.close();
  }
});
