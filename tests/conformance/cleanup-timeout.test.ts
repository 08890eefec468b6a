/**
 * A create whose answer never came within --timeout, or whose connection the server closed without
 * an answer, may still have made its record: the server may only be slow to answer, or have stored
 * it before dropping the connection. The cleanup cannot delete it without an id, so the run reports it as a
 * possible leftover, with the unique value it was sent with, in the summary and the JSON report.
 */
import { afterAll, expect, test } from 'vitest';
import type { Fault } from '../support/reference/core.js';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import { COMMON, runConformance, targetArgs } from '../support/runner.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

test('a create that timed out is listed as a possible leftover with the name it was sent with', async () => {
  const held: string[] = [];
  const fault: Fault = {
    name: 'holds the first create',
    description: 'never answers the first create it receives (the connection stays open)',
    socket: (_req, _res, ex) => {
      if (held.length > 0 || ex.operation.resource?.action !== 'create' || ex.method !== 'POST') return false;
      const body = JSON.parse(ex.rawBody.toString('utf8')) as { name?: unknown };
      if (typeof body.name !== 'string') return false;
      held.push(body.name);
      return true;
    },
  };
  const server = await startReferenceServer('eloqua', { faults: [fault] });
  servers.push(server);
  // The held answer never comes, so the timeout is certain whatever the machine's speed.
  const run = await runConformance([
    ...targetArgs('eloqua', server),
    ...COMMON,
    '--cleanup',
    '--max-cases',
    '5',
    '--timeout',
    // Long enough that no answered request of a loaded machine is taken for an unanswered one.
    '10000',
  ]);
  expect(held, run.describe()).toHaveLength(1);
  const leftovers = run.report?.cleanup?.leftovers ?? [];
  expect(leftovers, run.describe()).toContainEqual({
    operationId: 'createContactSegment',
    id: null,
    reason: 'no answer within the timeout: may have been created',
    sentWith: { name: held[0] },
  });
  expect(run.stdout).toContain(
    `left: createContactSegment, 1 record (no answer within the timeout: may have been created): sent with name ${JSON.stringify(held[0])}`,
  );
});

test('a create whose connection the server closed after reading it is listed as a possible leftover', async () => {
  const dropped: string[] = [];
  const fault: Fault = {
    name: 'drops the first create',
    description: 'closes the connection of the first create it reads, without an answer (it may have stored it)',
    socket: (req, _res, ex) => {
      if (dropped.length > 0 || ex.operation.resource?.action !== 'create' || ex.method !== 'POST') return false;
      const body = JSON.parse(ex.rawBody.toString('utf8')) as { name?: unknown };
      if (typeof body.name !== 'string') return false;
      dropped.push(body.name);
      req.socket.destroy();
      return true;
    },
  };
  const server = await startReferenceServer('eloqua', { faults: [fault] });
  servers.push(server);
  const run = await runConformance([...targetArgs('eloqua', server), ...COMMON, '--cleanup', '--max-cases', '5']);
  expect(dropped, run.describe()).toHaveLength(1);
  const leftovers = run.report?.cleanup?.leftovers ?? [];
  expect(leftovers, run.describe()).toContainEqual({
    operationId: 'createContactSegment',
    id: null,
    reason: 'the server closed the connection without an answer: may have been created',
    sentWith: { name: dropped[0] },
  });
});
