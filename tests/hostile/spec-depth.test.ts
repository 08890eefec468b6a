/**
 * A spec nested absurdly deep, in JSON as in YAML, or through a chain of `$ref`s: both CLIs refuse it
 * with one line naming the file, exit 2, never a stack overflow reported as an internal error.
 * Each file may nest 256 levels; a document at that depth still loads.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOutcome, runCli } from './cli-process.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spec-depth-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return name;
}

const HEAD = '"openapi": "3.1.0", "info": {"title": "deep", "version": "1"}';

/** One operation whose response schema is an array of arrays `levels` deep: the document nests 9 + levels. */
function nestedSchema(levels: number): string {
  const schema = `${'{"type": "array", "items": '.repeat(levels)}{"type": "string"}${'}'.repeat(levels)}`;
  const content = `{"application/json": {"schema": ${schema}}}`;
  return `{${HEAD}, "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok", "content": ${content}}}}}}}`;
}

const TOO_DEEP = 'cannot parse: nested too deeply (more than 256 levels)';

describe('the runner', () => {
  const cases: [name: string, text: () => string, message: string][] = [
    ['brackets.json', () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`, TOO_DEEP],
    ['extension.json', () => `{${HEAD}, "paths": {}, "x-deep": ${'['.repeat(3000)}${']'.repeat(3000)}}`, TOO_DEEP],
    [
      'flow.yaml',
      () => `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-deep: ${'['.repeat(300)}${']'.repeat(300)}\n`,
      TOO_DEEP,
    ],
    ['one-too-many.json', () => nestedSchema(248), TOO_DEEP],
    [
      'chain.json',
      () => {
        const links = Array.from(
          { length: 20_000 },
          (_, i) => `"S${i}": {"type": "array", "items": {"$ref": "#/components/schemas/S${i + 1}"}}`,
        );
        const schemas = `{${links.join(', ')}, "S20000": {"type": "string"}}`;
        const content = '{"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}';
        return `{${HEAD}, "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok", "content": ${content}}}}}}, "components": {"schemas": ${schemas}}}`;
      },
      'cannot load: nested too deeply through its $refs',
    ],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: exit 2, one line naming the file`, async () => {
      await write(name, text());
      const outcome = await runCli('conformance', ['--spec', name, '--dry-run'], dir);
      expect(outcome.stderr, describeOutcome(outcome)).toBe(`conformance: ${name}: ${message}\n`);
      expect(outcome.code, describeOutcome(outcome)).toBe(2);
    });
  }

  it('a document nested 256 levels deep still loads', async () => {
    const name = await write('deepest.json', nestedSchema(247));
    const outcome = await runCli('conformance', ['--spec', name, '--dry-run'], dir);
    expect(outcome.code, describeOutcome(outcome)).toBe(0);
    expect(outcome.stdout).toContain('1 requests planned');
  });
});

describe('the mock', () => {
  it('refuses to start with a JSON spec of 100,000 nested brackets: exit 2, one line naming the file', async () => {
    await write('served/brackets.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const outcome = await runCli('mock', ['--specs', 'served', '--host', '127.0.0.1', '--port', '0'], dir);
    expect(outcome.served, describeOutcome(outcome)).toBe(false);
    expect(outcome.stderr, describeOutcome(outcome)).toMatch(
      /^contact-mock: \S*served\/brackets\.json: cannot parse: nested too deeply \(more than 256 levels\)\n$/,
    );
    expect(outcome.code, describeOutcome(outcome)).toBe(2);
  });
});
