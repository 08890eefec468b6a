// The README's typed-client snippet and tests/mock/typed-client.test.ts stay the same code: every
// statement the README shows (its console.log lines aside, which the test turns into expects, and
// the base URL, which is a free port in the test) appears in the test.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support-specs/specs.js';

function snippet(readme: string): string {
  const start = readme.indexOf('```ts', readme.indexOf('Call it with a typed client'));
  const end = readme.indexOf('```', start + 5);
  expect(start, 'README has the typed-client snippet').toBeGreaterThan(0);
  return readme.slice(start + 5, end);
}

const statements = (code: string): string[] =>
  code
    .split('\n')
    .map((line) => line.replace(/\s+\/\/.*$/, '').trim())
    .filter(
      (line) =>
        line &&
        !line.startsWith('//') &&
        !line.startsWith('console.log') &&
        !line.startsWith('import') &&
        !line.startsWith('baseUrl'),
    );

it('README typed-client snippet is what tests/mock/typed-client.test.ts runs', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const test = await readFile(join(ROOT, 'tests', 'mock', 'typed-client.test.ts'), 'utf8');
  const shown = statements(snippet(readme));
  expect(shown.length).toBeGreaterThan(15);
  const testLines = new Set(test.split('\n').map((line) => line.trim()));
  expect(shown.filter((line) => !testLines.has(line))).toEqual([]);
  expect(test).toContain("from 'openapi-fetch'");
  expect(test).toContain("import type { paths } from '../../generated/bigchange-contact-groups.js'");
});
