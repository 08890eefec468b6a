// The project's Spectral rules really fire: a deliberately broken spec trips each one, and the four
// real specs trip none (npm test also lints them, failing on any warning).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lintSpecs } from '../../scripts/lint-specs.js';
import { inferredMarkProblems } from '../../spectral/inferred-marks.js';
import { ROOT } from '../support-specs/specs.js';

const run = promisify(execFile);
const spectral = join(ROOT, 'node_modules', '.bin', 'spectral');

interface SpectralResult {
  code: string;
  message: string;
  path: string[];
  severity: number;
}

async function lint(...files: string[]): Promise<SpectralResult[]> {
  // Spectral exits 1 when it finds errors; the JSON on stdout is what we assert on.
  const { stdout } = await run(
    spectral,
    ['lint', '--quiet', '-f', 'json', '--ruleset', join(ROOT, '.spectral.yaml'), ...files],
    { cwd: ROOT },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '[]' }));
  return JSON.parse(stdout || '[]') as SpectralResult[];
}

describe('spectral project rules', () => {
  it('flag every rule the broken fixture breaks', async () => {
    const results = await lint(join(ROOT, 'tests', 'fixtures', 'broken-spec.yaml'));
    const codes = new Set(results.map((r) => r.code));
    expect([...codes].sort()).toEqual(
      [
        'error-responses-use-vendor-error-schema',
        'every-request-body-has-an-example',
        'every-response-has-an-example',
        'operation-has-security',
        'operation-operationId',
        'x-inferred-marks',
      ].sort(),
    );
    const vendor = results.filter((r) => r.code === 'error-responses-use-vendor-error-schema').map((r) => r.message);
    expect(vendor).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^400 application\/json must use a named vendor error schema/),
        expect.stringMatching(/^error schema Thing is also a success schema/),
      ]),
    );
  });

  it('x-inferred-marks reports what the shared check reports, at the same paths', async () => {
    const fixture = join(ROOT, 'tests', 'fixtures', 'broken-inferred-marks.yaml');
    const reported = (await lint(fixture)).filter((r) => r.code === 'x-inferred-marks');
    const expected = inferredMarkProblems(parse(await readFile(fixture, 'utf8')));
    expect(reported.map((r) => [r.path.join('/'), r.message]).sort()).toEqual(
      expected.map((p) => [p.path.join('/'), p.message]).sort(),
    );
    expect(reported.length).toBe(13);
  });

  it('find nothing in the real specs', async () => {
    expect(await lint(join(ROOT, 'specs', '*.yaml'))).toEqual([]);
  });
});

describe('npm run lint:specs', () => {
  it('remembers a clean pass of the same files, and lints again when one changes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lint-specs-'));
    try {
      await mkdir(join(root, 'specs'));
      await cp(join(ROOT, 'specs', 'easify-contact-groups.yaml'), join(root, 'specs', 'easify.yaml'));
      await cp(join(ROOT, 'spectral'), join(root, 'spectral'), { recursive: true });
      await cp(join(ROOT, '.spectral.yaml'), join(root, '.spectral.yaml'));
      await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'));
      const stampFile = join(root, 'stamp');
      const lines: string[] = [];
      const lint = (force = false) =>
        lintSpecs({ root, stampFile, force, write: (line) => lines.push(line), spectralOutput: 'ignore' });

      expect(await lint()).toBe(0);
      expect(lines).toEqual([]);
      expect(await lint()).toBe(0);
      expect(lines).toEqual([expect.stringMatching(/passed Spectral as they are now/)]);

      // A spec that breaks the project's rules: Spectral runs, fails, and the failure is not remembered.
      await cp(join(ROOT, 'tests', 'fixtures', 'broken-spec.yaml'), join(root, 'specs', 'broken.yaml'));
      expect(await lint()).not.toBe(0);
      expect(await lint()).not.toBe(0);
      expect(lines).toHaveLength(1);
      // --force lints a remembered pass again.
      await rm(join(root, 'specs', 'broken.yaml'));
      expect(await lint(true)).toBe(0);
      expect(lines).toHaveLength(1);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
