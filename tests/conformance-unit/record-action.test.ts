/** A bodiless POST under a record's path answering that record is an action on it (Clerk's RevokeInvitation). */
import { expect, it } from 'vitest';
import { startMock } from '../../mocks/server.js';
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
