/**
 * Every curl command of the README's "Try it with curl" section, run with the real curl (through
 * bash, as pasted) in the README's order against a fresh mock, as `npm start` serves it. Each answer
 * must have the status line's code, the headers shown, and the body shown: whole (the values of
 * `errorId` and the times, fresh in every answer, compared by their shape alone) or, where the
 * README cuts it with `…`, up to the cut.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isObject } from '../../lib/json.js';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { ROOT } from '../support-specs/specs.js';

const SECTION = '### Try it with curl';
const README_BASE = 'http://127.0.0.1:4010';
const VOLATILE = new Set(['errorId', 'timestamp', 'createdAt', 'updatedAt', 'created_at', 'updated_at']);

interface Example {
  command: string;
  status: number;
  headers: [string, string][];
  body: string;
}

/** The commands of the section's ```console blocks, each with the answer shown under it. */
function examples(readme: string): Example[] {
  const start = readme.indexOf(SECTION);
  expect(start, `README.md has the section ${SECTION}`).toBeGreaterThan(0);
  const end = readme.indexOf('\n### ', start + SECTION.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const found: Example[] = [];
  for (const block of section.matchAll(/```console\n([\s\S]*?)```/g)) {
    const lines = block[1]!.split('\n');
    let i = 0;
    while (i < lines.length) {
      if (!lines[i]!.startsWith('$ ')) {
        i++;
        continue;
      }
      const command = [lines[i]!.slice(2)];
      while (command.at(-1)!.endsWith('\\')) command.push(lines[++i]!);
      const output: string[] = [];
      while (++i < lines.length && !lines[i]!.startsWith('$ ')) output.push(lines[i]!);
      while (output.at(-1) === '') output.pop();
      const blank = output.indexOf('');
      const head = blank === -1 ? output : output.slice(0, blank);
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(head[0] ?? '');
      expect(status, `the answer to ${command[0]} starts with its status line`).not.toBeNull();
      found.push({
        command: command.join('\n'),
        status: Number(status![1]),
        headers: head.slice(1).map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
        body: blank === -1 ? '' : output.slice(blank + 1).join('\n'),
      });
    }
  }
  return found;
}

const scrub = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(scrub);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      // A fresh value still has the shown one's format: every digit, hex letter and half of the day alike.
      VOLATILE.has(key) && typeof child === 'string'
        ? child.replace(/[0-9a-f]/g, '0').replace(/\b[AP]M\b/, 'AM')
        : scrub(child),
    ]),
  );
};

interface Answer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

function parseCurlOutput(output: string): Answer {
  const split = output.indexOf('\r\n\r\n');
  const head = (split === -1 ? output : output.slice(0, split)).split('\r\n');
  const headers = new Map<string, string>();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1]),
    headers,
    body: split === -1 ? '' : output.slice(split + 4),
  };
}

let mock: RunningMock;
let shown: Example[];

beforeAll(async () => {
  shown = examples(await readFile(join(ROOT, 'README.md'), 'utf8'));
  try {
    await promisify(execFile)('curl', ['--version']);
  } catch {
    throw new Error('curl not found: the README examples are curl commands; install it (apt-get install -y curl)');
  }
  mock = await startMock({ port: 0 });
});

afterAll(() => mock?.close());

describe('README curl examples', () => {
  it('show, for every mocked API, a request it accepts and one it refuses', () => {
    for (const api of mock.apis) {
      const statuses = shown
        .filter((example) => example.command.includes(`${README_BASE}/${api.name}/`))
        .map((example) => example.status);
      expect(
        statuses.some((status) => status >= 200 && status < 300),
        `${api.name}: an accepted request`,
      ).toBe(true);
      expect(
        statuses.some((status) => status >= 400 && status < 500),
        `${api.name}: a refused request`,
      ).toBe(true);
    }
  });

  it('answer, in order on a fresh mock, what the README shows', async () => {
    for (const example of shown) {
      expect(example.command.split(README_BASE).length - 1, example.command).toBe(1);
      const { stdout } = await promisify(execFile)('bash', ['-c', example.command.replace(README_BASE, mock.url)], {
        timeout: 20_000,
      });
      const answer = parseCurlOutput(stdout);
      const what = `${example.command.split('\n')[0]} -> ${answer.status} ${answer.body.slice(0, 200)}`;
      expect(answer.status, what).toBe(example.status);
      for (const [name, value] of example.headers) expect(answer.headers.get(name), `${what}: ${name}`).toBe(value);
      if (example.body.endsWith('…')) expect(answer.body.startsWith(example.body.slice(0, -1)), what).toBe(true);
      else expect(scrub(JSON.parse(answer.body)), what).toEqual(scrub(JSON.parse(example.body)));
    }
  });
});
