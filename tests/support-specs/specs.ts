/** Loads the four committed specs once per test file. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, type Operation, type Spec } from '../../lib/spec.js';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

export const SPEC_FILES = {
  bigchange: 'bigchange-contact-groups.yaml',
  '8x8': '8x8-contacts.yaml',
  eloqua: 'eloqua-contact-segments.yaml',
  easify: 'easify-contact-groups.yaml',
} as const;

export type SpecKey = keyof typeof SPEC_FILES;

export async function loadAll(): Promise<Record<SpecKey, Spec>> {
  const entries = await Promise.all(
    (Object.keys(SPEC_FILES) as SpecKey[]).map(
      async (key) => [key, await loadSpec(join(ROOT, 'specs', SPEC_FILES[key]))] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<SpecKey, Spec>;
}

export function operation(spec: Spec, operationId: string): Operation {
  const found = spec.operations.find((op) => op.operationId === operationId);
  if (!found) throw new Error(`${spec.name} has no operation ${operationId}`);
  return found;
}
