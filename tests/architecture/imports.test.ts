/**
 * The import boundaries in biome.json (`noRestrictedImports` per folder), proven to fire: the project's
 * own configuration lints a scratch tree laid out like this one, holding imports across each
 * boundary and imports that stay inside it. `npm test` runs the same rule over the real tree.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIOME = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
const RULE = 'lint/style/noRestrictedImports';

/** File -> its lines; each line is one import, and the comment after it says whether it may stand. */
const TREE: Record<string, string[]> = {
  'conformance/checks/crossing.ts': [
    "import { buildRequest } from '../cases/wire.js'; // refused",
    "import type { Execution } from '../execute.js'; // refused",
    "export * from '../cases/plan.js'; // refused",
    "export const later = () => import('../execute.js'); // refused",
    "import '../../mocks/server.js'; // refused",
    "import { CHECK_NAMES } from './registry.js'; // allowed",
    "import type { CheckContext } from '../types.js'; // allowed",
    "import { provablyPremature } from '../throttle.js'; // allowed",
    "import { documentedResponse } from '../../lib/responses.js'; // allowed",
  ],
  'conformance/reporters/crossing.ts': [
    "import { planCases } from '../cases/plan.js'; // refused",
    "import { execute } from '../execute'; // refused",
    "import type { Report } from '../report.js'; // allowed",
    "import { printable } from './summary.js'; // allowed",
  ],
  'conformance/crossing.ts': [
    "import { buildApi } from '../mocks/api.js'; // refused",
    "import { planCases } from './cases/plan.js'; // allowed",
    "import { execute } from './execute.js'; // allowed",
    "import { evaluate } from './checks/evaluate.js'; // allowed",
  ],
  'conformance/cases/crossing.ts': [
    "import { errorReply } from '../../mocks/responses.js'; // refused",
    "import { loadSpec } from '../../lib/spec.js'; // allowed",
  ],
  'lib/crossing.ts': [
    "import { run } from '../conformance/run.js'; // refused",
    "import { startMock } from '../mocks/server.js'; // refused",
    "import { isObject } from './json.js'; // allowed",
    "import { Ajv2020 } from 'ajv/dist/2020.js'; // allowed",
  ],
  'lib/generators/crossing.ts': [
    "import { Store } from '../../mocks/state/store.js'; // refused",
    "import { flatten } from '../schema.js'; // allowed",
  ],
  'mocks/crossing.ts': [
    "import { CHECK_NAMES } from '../conformance/checks/registry.js'; // refused",
    "import { loadSpec } from '../lib/spec.js'; // allowed",
    "import { Store } from './state/store.js'; // allowed",
  ],
  'mocks/state/crossing.ts': [
    "import type { Exchange } from '../../conformance/types.js'; // refused",
    "import { getPointer } from '../../lib/json-pointer.js'; // allowed",
  ],
};

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string; start: { line: number } };
}

let scratch: string;
let diagnostics: Diagnostic[];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'import-boundaries-'));
  const config = JSON.parse(await readFile(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
  // The scratch tree is no git checkout, and the schema path is relative to the project.
  delete config.$schema;
  config.vcs = { enabled: false };
  await writeFile(join(scratch, 'biome.json'), JSON.stringify(config));
  for (const [file, lines] of Object.entries(TREE)) {
    await mkdir(dirname(join(scratch, file)), { recursive: true });
    await writeFile(join(scratch, file), `${lines.join('\n')}\n`);
  }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIOME, 'lint', `--only=${RULE.replace('lint/', '')}`, '--reporter=json', '--max-diagnostics=none', '.'],
    { cwd: scratch },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  diagnostics = (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics;
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const fired = (file: string): number[] =>
  diagnostics
    .filter((d) => d.category === RULE && d.location.path.replace(/\\/g, '/') === file)
    .map((d) => d.location.start.line)
    .sort((a, b) => a - b);

const refusedLines = (lines: readonly string[]): number[] =>
  lines.flatMap((line, index) => (line.endsWith('// refused') ? [index + 1] : []));

describe('import boundaries', () => {
  it('reports nothing but the boundary rule on the scratch tree', () => {
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.filter((d) => d.category !== RULE)).toEqual([]);
  });

  for (const [file, lines] of Object.entries(TREE)) {
    it(`${file}: exactly the crossing imports are refused`, () => {
      expect(fired(file)).toEqual(refusedLines(lines));
    });
  }

  it('says which boundary an import crosses', () => {
    const message = (file: string): string[] => [
      ...new Set(diagnostics.filter((d) => d.location.path === file).map((d) => d.message)),
    ];
    expect(message('lib/crossing.ts')).toEqual(['lib/ holds the rules both sides share and imports neither side']);
    expect(message('conformance/reporters/crossing.ts')).toEqual([
      'checks and reporters read exchanges and results; they import neither the case builders nor the executor',
    ]);
    expect(message('mocks/crossing.ts')).toEqual(['the mock does not import the runner: what both need lives in lib/']);
  });

  it('names folders and files that exist, so a rename cannot switch a boundary off unnoticed', () => {
    for (const path of ['lib', 'mocks', 'conformance/checks', 'conformance/reporters', 'conformance/cases']) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
    expect(existsSync(join(ROOT, 'conformance', 'execute.ts'))).toBe(true);
  });
});
