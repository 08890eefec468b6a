/**
 * A spec's `$ref` cannot bring in an arbitrary file: the mock serves the document it bundles at
 * `/__docs/<prefix>/openapi.json`, so whatever a `$ref` reads is served to anyone asking. A `$ref` to
 * another file reads a YAML or JSON object or array, or text from the spec's own folder, and nothing
 * else: both CLIs refuse the rest with one line naming the spec and the `$ref`, exit 2, without
 * having shown a byte of it. The multi-file layouts of real specs still load.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../lib/document.js';
import type { JsonObject } from '../../lib/json.js';
import { describeOutcome, runCli } from './cli-process.js';

let dir: string;

/** A one-operation spec whose response schema is the `$ref`. */
const spec = (ref: string): string =>
  `openapi: 3.1.0
info: {title: refs, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      description: {$ref: ${JSON.stringify(ref.endsWith('.md') ? ref : 'notes/about.md')}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: ${JSON.stringify(ref)}}
`;

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return name;
}

const OUTSIDE = "names a file outside the spec's directory that is not YAML or JSON (.yaml, .yml, .json)";
const NOT_A_DOCUMENT = 'names a file that is not a YAML or JSON object or array';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spec-refs-'));
  await write('notes/about.md', 'Kept in a file of its own.');
  await write('text.json', '"a JSON string is not a document"\n');
  await symlink('/etc/passwd', join(dir, 'passwd-link.txt'));
  await symlink('/etc/passwd', join(dir, 'passwd-link.yaml'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the runner refuses a $ref to a file that is not a YAML or JSON document of the spec', () => {
  const cases: [name: string, ref: string, reason: string][] = [
    ['absolute.yaml', '/etc/passwd', OUTSIDE],
    ['climbing.yaml', `${'../'.repeat(24)}etc/hostname`, OUTSIDE],
    ['environ.yaml', '/proc/self/environ', OUTSIDE],
    ['text-link.yaml', 'passwd-link.txt', OUTSIDE],
    ['yaml-link.yaml', 'passwd-link.yaml', NOT_A_DOCUMENT],
    ['scalar.yaml', 'text.json', NOT_A_DOCUMENT],
  ];
  for (const [name, ref, reason] of cases) {
    it(`${ref}: exit 2, one line naming the spec and the $ref`, async () => {
      await write(name, spec(ref));
      const outcome = await runCli('conformance', ['--spec', name, '--dry-run'], dir);
      expect(outcome.stderr, describeOutcome(outcome)).toBe(`conformance: ${name}: $ref "${ref}" ${reason}\n`);
      expect(outcome.code, describeOutcome(outcome)).toBe(2);
      expect(outcome.stdout).not.toContain('root:');
    });
  }
});

describe('the mock', () => {
  it('refuses to start with a spec whose $ref names /etc/passwd: exit 2, one line, nothing served', async () => {
    await write('served/passwd.yaml', spec('/etc/passwd'));
    await write('served/notes/about.md', 'Kept in a file of its own.');
    const outcome = await runCli('mock', ['--specs', 'served', '--host', '127.0.0.1', '--port', '0'], dir);
    expect(outcome.served, describeOutcome(outcome)).toBe(false);
    expect(outcome.stderr, describeOutcome(outcome)).toBe(
      `contact-mock: ${join('served', 'passwd.yaml')}: $ref "/etc/passwd" ${OUTSIDE}\n`,
    );
    expect(outcome.code, describeOutcome(outcome)).toBe(2);
    expect(outcome.stdout).not.toContain('root:');
  });
});

describe('the multi-file layouts of real specs still load', () => {
  it('YAML and JSON in a sibling folder, text in the spec folder', async () => {
    await write('common/error.yaml', 'Error:\n  type: object\n  properties:\n    message: {type: string}\n');
    await write('common/list.json', '[{"type": "string"}]\n');
    await write('api/spec.yaml', spec('../common/error.yaml#/Error'));
    await write('api/notes/about.md', 'Kept in a file of its own.');
    await write('api/list.yaml', spec('../common/list.json#/0'));
    for (const name of ['api/spec.yaml', 'api/list.yaml']) {
      const outcome = await runCli('conformance', ['--spec', name, '--dry-run'], dir);
      expect(outcome.code, describeOutcome(outcome)).toBe(0);
    }
    const paths = (await readDocument(join(dir, 'api/spec.yaml'))).document.paths as Record<string, JsonObject>;
    const get = paths['/x']!.get as JsonObject;
    expect(get.description).toBe('Kept in a file of its own.');
    expect(JSON.stringify(get.responses)).toContain('"message":{"type":"string"}');
  });
});
