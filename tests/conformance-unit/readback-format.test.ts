/** A value an update sends as any text and the record shows in a format (Box's user `login`, an email). */
import { expect, it } from 'vitest';
import { runConformance } from '../support/runner.js';

it('is stamped as the record shows it: an email of its own, not the example email cut short by a stamp', async () => {
  const dry = await runConformance(
    [
      '--spec',
      'tests/fixtures/openapi/readback-format.yaml',
      '--base-url',
      'http://127.0.0.1:9',
      '--seed',
      '7',
      '--dry-run',
    ],
    { json: false },
  );
  expect(dry.code, dry.describe()).toBe(0);
  const sent = /updateThing · positive: every writable property\n.*? (\{"login":.*\})$/m.exec(dry.stdout)?.[1];
  const login = (JSON.parse(sent ?? '{}') as { login?: string }).login;
  expect(login).toMatch(/^[^@~\s]+@example\.com$/);
  expect(login).not.toBe('ada@example.com');
});
