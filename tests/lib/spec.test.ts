/** lib/spec.ts: a broken $ref is a SpecError that names the spec file it is in. */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../lib/errors.js';
import { buildSpec, dereference } from '../../lib/spec.js';

const withRef = (ref: string) => ({
  openapi: '3.1.0',
  info: { title: 'Broken', version: '1' },
  paths: {
    '/x': {
      get: {
        operationId: 'getX',
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } },
      },
    },
  },
  components: { schemas: { Loop: { $ref: '#/components/schemas/Loop' } } },
});

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as Error).message;
  }
  throw new Error('expected a SpecError');
}

describe('$ref errors name the spec file', () => {
  it('a $ref to nothing', () => {
    expect(messageOf(() => buildSpec(withRef('#/components/schemas/Nope'), 'specs/broken.yaml'))).toBe(
      'specs/broken.yaml: $ref "#/components/schemas/Nope" points at nothing',
    );
  });

  it('an external $ref', () => {
    expect(messageOf(() => buildSpec(withRef('other.yaml#/X'), 'specs/broken.yaml'))).toBe(
      'specs/broken.yaml: only internal $refs are supported, found "other.yaml#/X"',
    );
  });

  it('a circular $ref', () => {
    expect(messageOf(() => buildSpec(withRef('#/components/schemas/Loop'), 'specs/broken.yaml'))).toBe(
      'specs/broken.yaml: circular $ref "#/components/schemas/Loop" is not supported',
    );
  });

  it('dereference on its own says the file only when given one', () => {
    expect(messageOf(() => dereference({ a: { $ref: '#/b' } }))).toBe('$ref "#/b" points at nothing');
    expect(messageOf(() => dereference({ a: { $ref: '#/b' } }, 'x.yaml'))).toBe('x.yaml: $ref "#/b" points at nothing');
  });
});
