/**
 * A config file the runner cannot use is one line naming it, exit 2, whatever is wrong: an alias bomb,
 * a package.json that does not parse where the config is looked for, or many problems at once (all
 * of them listed, in file order, not the schema's first and the rest once those are mended).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOutcome, runCli } from './cli-process.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'config-parse-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A directory of its own holding these files. */
async function directory(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

const SPEC = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      responses:
        "200": {description: ok}
`;

describe('the config file', () => {
  it('an alias bomb: one line naming the file and the reason, exit 2', async () => {
    const dir = await directory('bomb', {
      'bomb.yaml': `a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
apis: [{spec: spec.yaml}]
`,
      'spec.yaml': SPEC,
    });
    const outcome = await runCli('conformance', ['--config', 'bomb.yaml', '--dry-run'], dir);
    expect(outcome.stderr, describeOutcome(outcome)).toBe(
      'conformance: bomb.yaml: cannot parse: Excessive alias count indicates a resource exhaustion attack\n',
    );
    expect(outcome.code, describeOutcome(outcome)).toBe(2);
  });

  it('a package.json that does not parse, where the config is looked for: named, exit 2', async () => {
    const dir = await directory('package', {
      'package.json': '{\n  "name": "x",\n  "conformance": {\n    "apis": [{ "spec": "spec.yaml" }]\n  },\n',
      'spec.yaml': SPEC,
    });
    const looked = await runCli('conformance', ['--dry-run'], dir);
    expect(looked.stderr, describeOutcome(looked)).toMatch(/^conformance: package\.json: cannot parse: [^\n]+\n$/);
    expect(looked.code, describeOutcome(looked)).toBe(2);
    // With --spec no config is looked for: the broken package.json is none of the run's business.
    const given = await runCli('conformance', ['--spec', 'spec.yaml', '--dry-run'], dir);
    expect(given.code, describeOutcome(given)).toBe(0);
  });

  it('schema problems, a rate limit and header names: every one at once, in file order', async () => {
    const dir = await directory('problems', {
      'conformance.config.yaml': `defaults:
  seed: -1
  headers:
    Connection: close
apis:
  - spec: spec.yaml
    rateLimit: "0/s"
    headers:
      Host: x
      "Bad Name": y
    bogus: 1
  - spec: spec.yaml
    maxCases: 0
`,
      'spec.yaml': SPEC,
    });
    const outcome = await runCli('conformance', ['--dry-run'], dir);
    const file = 'conformance.config.yaml';
    // One line, problems joined by "; " (which a message may hold too: each starts with the file).
    expect(outcome.stderr.split(/; (?=conformance\.config\.yaml:)/), describeOutcome(outcome)).toEqual([
      `conformance: ${file}:2:9: defaults.seed must be >= 0`,
      expect.stringMatching(new RegExp(`^${file}:4:5: defaults\\.headers\\.Connection Connection is not allowed`)),
      `${file}:7:16: apis[0].rateLimit must look like 10/s or 15/m (or "none"), got "0/s"`,
      expect.stringMatching(new RegExp(`^${file}:9:7: apis\\[0\\]\\.headers\\.Host Host is not allowed`)),
      `${file}:10:7: apis[0].headers["Bad Name"] is not a header name`,
      expect.stringMatching(new RegExp(`^${file}:11:5: apis\\[0\\]\\.bogus is not an option here`)),
      `${file}:12:11: apis[1].spec names the API "spec", as apis[0] does; give each API its own name`,
      `${file}:13:15: apis[1].maxCases must be >= 1\n`,
    ]);
    expect(outcome.code, describeOutcome(outcome)).toBe(2);
  });
});
