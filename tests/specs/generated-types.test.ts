// The committed generated/*.ts are exactly what openapi-typescript makes from the specs today.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generate, generatedPath, specFiles } from '../../scripts/generate-types.js';

describe('generated types', async () => {
  const files = await specFiles();

  it('cover every spec', () => {
    expect(files).toEqual([
      '8x8-contacts.yaml',
      'bigchange-contact-groups.yaml',
      'easify-contact-groups.yaml',
      'eloqua-contact-segments.yaml',
    ]);
  });

  it.each(files)('generated/%s is fresh (run `npm run generate` if this fails)', async (file) => {
    const committed = await readFile(generatedPath(file), 'utf8').catch(() => '(missing)');
    expect(committed).toBe(await generate(file));
  });
});
