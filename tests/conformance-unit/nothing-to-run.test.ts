/**
 * A run that could plan no request would pass without having judged anything: it is refused with
 * exit 2 and the reason, before anything is sent.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runConformance } from '../support/runner.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nothing-to-run-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('a required body that only an endless recursion fits: exit 2, one line naming the operation and why', async () => {
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
  // Nothing listens on port 9: a request sent would be a different error.
  const run = await runConformance(['--spec', spec, '--base-url', 'http://127.0.0.1:9'], { json: false });
  expect(run.code, run.describe()).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(
    /^conformance: nothing to run in .*recursive\.yaml: createThing cannot be tested: .*recursion needs a value deeper than 10 levels\n$/,
  );
});
