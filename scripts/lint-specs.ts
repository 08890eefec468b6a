/**
 * `npm run lint:specs`: Spectral on specs/*.yaml with the project's ruleset, failing on any warning.
 * Spectral spends about 4 s of CPU, most of it starting up, and its verdict depends only on the files
 * it reads: a clean pass is remembered under a hash of them (the specs, the ruleset and its functions,
 * package-lock.json for Spectral's own version, this script for its arguments) and the same files are
 * not linted again, as `tsc -b` skips an unchanged tree. `--force` lints anyway; a failing lint is never remembered.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../lib/package-root.js';

export interface LintOptions {
  /** The folder holding specs/, spectral/, .spectral.yaml and node_modules/. */
  root: string;
  force?: boolean;
  /** Where the hash of the last clean pass is kept. */
  stampFile?: string;
  write?: (line: string) => void;
  /** Spectral's own report: shown (the default) or not. */
  spectralOutput?: 'inherit' | 'ignore';
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)])),
  );
  return nested.flat();
}

/** A hash of every file the lint's verdict can depend on, names included. */
export async function lintInputsHash(root: string): Promise<string> {
  const files = [
    ...(await filesUnder(join(root, 'specs'))),
    ...(await filesUnder(join(root, 'spectral'))),
    join(root, '.spectral.yaml'),
    join(root, 'package-lock.json'),
    // Spectral's arguments (--fail-severity among them) are written here.
    fileURLToPath(import.meta.url),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const text = await readFile(file).catch(() => Buffer.from('(none)'));
    hash.update(`${relative(root, file)}\0${text.length}\0`).update(text);
  }
  return hash.digest('hex');
}

function spectral(root: string, output: 'inherit' | 'ignore'): Promise<number> {
  const bin = join(root, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
  const args = ['lint', '--fail-severity=warn', '--ruleset', '.spectral.yaml', 'specs/*.yaml'];
  return new Promise((resolveExit) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: output });
    child.once('error', () => resolveExit(2));
    child.once('close', (code) => resolveExit(code ?? 2));
  });
}

/** Spectral's exit code, or 0 at once when the same files passed before. */
export async function lintSpecs(options: LintOptions): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stampFile =
    options.stampFile ?? join(options.root, 'node_modules', '.cache', 'contact-api-contracts', 'lint-specs');
  const hash = await lintInputsHash(options.root);
  const stamp = await readFile(stampFile, 'utf8').catch(() => undefined);
  if (!options.force && stamp === hash) {
    write('lint:specs: the specs and the ruleset passed Spectral as they are now (--force lints again)');
    return 0;
  }
  const code = await spectral(options.root, options.spectralOutput ?? 'inherit');
  // A file edited while Spectral read the files was not linted as it is now: nothing to remember.
  if (code === 0 && (await lintInputsHash(options.root)) === hash) {
    await mkdir(dirname(stampFile), { recursive: true });
    await writeFile(stampFile, hash);
  }
  return code;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await lintSpecs({ root: PACKAGE_ROOT, force: process.argv.includes('--force') });
}
