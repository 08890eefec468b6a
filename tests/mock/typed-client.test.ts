/**
 * The README's typed-client block, exactly as a reader would run it: taken from README.md,
 * type-checked against generated/ with the project's compiler options, and run with tsx against a
 * fresh mock; what it prints must be what its comments say. Only the base URL (a free port) and the
 * import specifiers (absolute, as the copy lives in a temporary directory) are changed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { ROOT } from '../support-specs/specs.js';

const MARKER = '<!-- typed-client snippet';
const README_BASE = 'http://127.0.0.1:4010';

/** The fenced ```ts block that follows the marker comment. */
function typedClientSnippet(readme: string): string {
  const marker = readme.indexOf(MARKER);
  expect(marker, `README.md has the marker ${MARKER}`).toBeGreaterThan(0);
  const start = readme.indexOf('```ts\n', marker);
  const end = readme.indexOf('\n```\n', start);
  expect(start).toBeGreaterThan(marker);
  return readme.slice(start + '```ts\n'.length, end + 1);
}

/** What each console.log prints, from its comment: at the end of its line, or on the line after it. */
function expectedOutput(snippet: string): string[] {
  const lines = snippet.split('\n');
  const expected: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith('console.log(')) continue;
    const trailing = line.lastIndexOf('); // ');
    if (trailing !== -1) expected.push(line.slice(trailing + '); // '.length));
    else {
      const next = lines[i + 1] ?? '';
      expect(next, `console.log on line ${i + 1} of the snippet says what it prints`).toMatch(/^\/\/ /);
      expected.push(next.slice(3));
    }
  }
  return expected;
}

function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1, `the snippet has ${from} once`).toBe(1);
  return text.replace(from, to);
}

let dir: string;
let mock: RunningMock;
let snippet: string;
let file: string;

beforeAll(async () => {
  snippet = typedClientSnippet(await readFile(join(ROOT, 'README.md'), 'utf8'));
  mock = await startMock({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'typed-client-'));
  let runnable = replaceOnce(snippet, `'${README_BASE}/`, `'${mock.url}/`);
  runnable = replaceOnce(
    runnable,
    "from 'openapi-fetch'",
    `from '${join(ROOT, 'node_modules', 'openapi-fetch', 'dist', 'index.mjs')}'`,
  );
  runnable = replaceOnce(runnable, "from './generated/", `from '${join(ROOT, 'generated')}/`);
  file = join(dir, 'try-client.mts');
  await writeFile(file, runnable);
});

afterAll(async () => {
  await mock?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('README typed-client snippet', () => {
  it('walks a whole lifecycle: create, list, edit, get, delete, get is 404, and an invalid request', () => {
    // The flow the README promises, so that a shorter snippet cannot pass unnoticed.
    for (const call of ['.POST(', '.GET(', '.PATCH(', '.DELETE(']) expect(snippet).toContain(call);
    const expected = expectedOutput(snippet);
    expect(expected.map((line) => line.split(' ')[0])).toEqual(['201', '[', '200', '200', '204', '404', '0', '400']);
  });

  it('type-checks against generated/ with the project compiler options', () => {
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram([file], { ...options, noEmit: true });
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (!diagnostic.file || diagnostic.start === undefined) return text;
      const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      return `${diagnostic.file.fileName}:${line + 1}:${character + 1}: ${text}`;
    });
    expect(problems).toEqual([]);
  });

  it('runs against a fresh mock and prints what its comments say', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file],
      { cwd: dir, timeout: 50_000 },
    );
    expect(stderr).toBe('');
    expect(stdout.trimEnd().split('\n')).toEqual(expectedOutput(snippet));
  });
});
