/**
 * Each spec is served under the first word of its file name: a name that would land on the mock's
 * own endpoints (/__mock, /__docs) or on another spec's prefix stops the start with one line naming
 * the files, instead of serving an API nobody can reach.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SPECS_DIR, startMock } from '../../mocks/server.js';

const SPEC = join(DEFAULT_SPECS_DIR, 'bigchange-contact-groups.yaml');
let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

async function specsNamed(...names: string[]): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'spec-names-'));
  for (const name of names) await copyFile(SPEC, join(dir, name));
  return dir;
}

describe('spec file names', () => {
  it.each(['__mock-x.yaml', '__docs.yaml'])('%s would hide an endpoint of the mock: refused', async (name) => {
    const specsDir = await specsNamed(name);
    const prefix = name.split(/[-.]/)[0];
    await expect(startMock({ port: 0, specsDir })).rejects.toThrow(
      `${join(specsDir, name)} would be served under /${prefix}, which the mock keeps for itself`,
    );
  });

  it('two specs with the same first word: refused, naming both', async () => {
    const specsDir = await specsNamed('acme-one.yaml', 'acme-two.yaml');
    await expect(startMock({ port: 0, specsDir })).rejects.toThrow(
      /acme-(one|two)\.yaml and .*acme-(one|two)\.yaml would both be served under \/acme/,
    );
  });
});
