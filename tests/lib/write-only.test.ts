/** Which properties of a value its schema marks write-only: the runner's leaks and what the mock takes out. */
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../lib/json-schema.js';
import { withoutWriteOnly, writeOnlyPointers } from '../../lib/write-only.js';

const password: JsonSchema = {
  type: 'object',
  properties: { kind: { const: 'password' }, secret: { type: 'string', writeOnly: true } },
};
const token: JsonSchema = { type: 'object', properties: { kind: { const: 'token' }, secret: { type: 'string' } } };
const user: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, password: { type: 'string', writeOnly: true } },
};

describe('write-only properties', () => {
  it('are found at any depth: in items, through allOf', () => {
    const list: JsonSchema = { type: 'array', items: { allOf: [user] } };
    expect(writeOnlyPointers([{ name: 'a' }, { name: 'b', password: 'x' }], list)).toEqual(['/1/password']);
    expect(withoutWriteOnly({ name: 'a', password: 'x' }, user)).toEqual({ name: 'a' });
  });

  it('of a oneOf are those every branch declaring them marks: a token keeps its readable secret', () => {
    const credential: JsonSchema = { oneOf: [password, token] };
    expect(writeOnlyPointers({ kind: 'token', secret: 's' }, credential)).toEqual([]);
    expect(withoutWriteOnly({ kind: 'token', secret: 's' }, credential)).toEqual({ kind: 'token', secret: 's' });
    expect(writeOnlyPointers({ name: 'a', password: 'x' }, { oneOf: [user, { ...user, title: 'Bot' }] })).toEqual([
      '/password',
    ]);
  });
});
