/** lib/spec.ts and lib/dereference.ts: the model, recursion as cycles, $ref errors naming the spec file. */
import { describe, expect, it } from 'vitest';
import { dereference } from '../../lib/dereference.js';
import { SpecError } from '../../lib/errors.js';
import { buildSpec } from '../../lib/spec.js';

const withRef = (ref: string, schemas: Record<string, unknown> = {}) => ({
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
  components: { schemas },
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

describe('$ref errors name the spec file and the pointer', () => {
  it('a $ref to nothing', () => {
    expect(messageOf(() => buildSpec(withRef('#/components/schemas/Nope'), 'specs/broken.yaml'))).toBe(
      'specs/broken.yaml: $ref "#/components/schemas/Nope" points at nothing',
    );
  });

  it('a $ref that is only itself', () => {
    const doc = withRef('#/components/schemas/Loop', { Loop: { $ref: '#/components/schemas/Loop' } });
    expect(messageOf(() => buildSpec(doc, 'specs/broken.yaml'))).toBe(
      'specs/broken.yaml: $ref "#/components/schemas/Loop" refers to itself',
    );
  });
});

describe('recursion', () => {
  it('a recursive schema becomes a cycle of objects, once per target', () => {
    const doc = withRef('#/components/schemas/Node', {
      Node: {
        type: 'object',
        properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
      },
    });
    const spec = buildSpec(doc, 'tree.yaml');
    const schema = spec.operations[0]!.responses[0]!.content[0]!.schema!;
    expect(schema.properties!.children!.items).toBe(schema);
    expect(spec.origins.get(schema)).toBe('/components/schemas/Node');
  });

  it('a $ref with sibling keywords is the target with the siblings on top', () => {
    const { root, origins } = dereference(
      { a: { $ref: '#/b', description: 'here' }, b: { type: 'string', description: 'there' } },
      'x.yaml',
    );
    expect(root.a).toEqual({ type: 'string', description: 'here' });
    expect(origins.get(root.a as object)).toBe('/a');
  });

  it('properties named like data keywords are still schemas', () => {
    const { root } = dereference(
      { s: { properties: { default: { $ref: '#/t' }, example: { $ref: '#/t' } } }, t: { type: 'integer' } },
      'x.yaml',
    );
    expect(root.s).toEqual({ properties: { default: { type: 'integer' }, example: { type: 'integer' } } });
  });
});

describe('operations', () => {
  it('an operation without operationId gets one from its method and path', () => {
    const doc = withRef('#/components/schemas/S', { S: { type: 'string' } });
    delete (doc.paths['/x'].get as { operationId?: string }).operationId;
    expect(buildSpec(doc, 'x.yaml').operations[0]!.operationId).toBe('get_x');
  });
});
