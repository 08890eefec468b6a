/**
 * A run that could plan no request would pass without having judged anything: it is refused with
 * exit 2 and the reason, before anything is sent. An unreachable target is said before planning.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runConformance } from '../support/runner.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nothing-to-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function recursiveSpec(): Promise<string> {
  const spec = join(dir, 'recursive.yaml');
  await writeFile(
    spec,
    [
      'openapi: 3.1.0',
      'info: {title: Recursive, version: "1"}',
      'paths:',
      '  /things:',
      '    post:',
      '      operationId: createThing',
      '      requestBody:',
      '        required: true',
      '        content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}',
      '      responses: {"201": {description: created}}',
      'components:',
      '  schemas:',
      '    Node: {type: object, required: [child], properties: {child: {$ref: "#/components/schemas/Node"}}}',
    ].join('\n'),
  );
  return spec;
}

it('a required body that only an endless recursion fits: exit 2, one line naming the operation and why', async () => {
  const spec = await recursiveSpec();
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(201).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const run = await runConformance(['--spec', spec, '--base-url', `http://127.0.0.1:${port}`], { json: false });
    expect(run.code, run.describe()).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^conformance: nothing to run in .*recursive\.yaml: createThing cannot be tested: .*recursion needs a value deeper than 10 levels\n$/,
    );
    expect(requests, 'refused before anything is sent').toEqual([]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

it('a target that cannot be reached is said once the spec is read, before planning (what a large spec spends most on)', async () => {
  const spec = await recursiveSpec();
  // The plan of this spec is refused, but planning is never reached: the port has no listener.
  const unreachable = await runConformance(['--spec', spec, '--base-url', 'http://127.0.0.1:9'], { json: false });
  expect(unreachable.code, unreachable.describe()).toBe(2);
  expect(unreachable.stderr).toBe('conformance: cannot reach http://127.0.0.1:9: connection refused\n');
  // What reading the spec refuses still comes first.
  const missing = await runConformance(['--spec', join(dir, 'missing.yaml'), '--base-url', 'http://127.0.0.1:9'], {
    json: false,
  });
  expect(missing.code, missing.describe()).toBe(2);
  expect(missing.stderr).toMatch(/missing\.yaml/);
  expect(missing.stderr).not.toMatch(/cannot reach/);
});

it('a 3.1 document of webhooks alone (paths are optional): exit 2 saying so, not that the document is malformed', async () => {
  const spec = join(dir, 'webhooks.yaml');
  await writeFile(
    spec,
    [
      'openapi: 3.1.0',
      'info: {title: Webhooks, version: "1"}',
      'webhooks:',
      '  newPet:',
      '    post:',
      '      requestBody: {content: {application/json: {schema: {type: object}}}}',
      '      responses: {"200": {description: received}}',
    ].join('\n'),
  );
  const run = await runConformance(['--spec', spec, '--dry-run'], { json: false });
  expect(run.code, run.describe()).toBe(2);
  expect(run.stderr).toMatch(
    /^conformance: .*webhooks\.yaml describes no operation \(only webhooks, which the runner does not test\): nothing to run\n$/,
  );
});
