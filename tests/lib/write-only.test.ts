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

describe('write-only properties beside branches and in maps', () => {
  it('are found where an object types itself and declares them in its oneOf', () => {
    const account: JsonSchema = {
      type: 'object',
      properties: { id: { type: 'string' } },
      oneOf: [{ properties: { password: { type: 'string', writeOnly: true } } }, { properties: { sso: {} } }],
    };
    expect(writeOnlyPointers({ id: '1', password: 'x' }, account)).toEqual(['/password']);
    expect(withoutWriteOnly({ id: '1', password: 'x' }, account)).toEqual({ id: '1' });
  });

  it('are found in the values of a map and in the items of a branch', () => {
    const byName: JsonSchema = { type: 'object', additionalProperties: user };
    expect(writeOnlyPointers({ ann: { name: 'ann', password: 'x' }, bob: { name: 'bob' } }, byName)).toEqual([
      '/ann/password',
    ]);
    const secrets: JsonSchema = { type: 'object', additionalProperties: { type: 'string', writeOnly: true } };
    expect(withoutWriteOnly({ a: 'x', b: 'y' }, secrets)).toEqual({});
    const users: JsonSchema = { oneOf: [{ type: 'array', items: user }, { type: 'null' }] };
    expect(writeOnlyPointers([{ name: 'a', password: 'x' }], users)).toEqual(['/0/password']);
  });

  it('a declared property is not the map value: a readable name beside write-only extras stays', () => {
    const mixed: JsonSchema = {
      type: 'object',
      properties: { name: { type: 'string' } },
      additionalProperties: { type: 'string', writeOnly: true },
    };
    expect(withoutWriteOnly({ name: 'a', pin: '1' }, mixed)).toEqual({ name: 'a' });
  });
});
