/**
 * mocks/prism-engine.ts: Prism's operations are read once per document text, so a mock started again
 * (or a watched spec put back) reuses them; a changed document is read again, whatever its file.
 */
import { expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json.js';
import { buildSpec } from '../../lib/spec.js';
import { isRefusal, PrismEngine } from '../../mocks/prism-engine.js';

/** A document whose one operation, `GET /things` (listThings), answers with these responses. */
const things = (title: string, responses: JsonObject): JsonObject => ({
  openapi: '3.1.0',
  info: { title, version: '1' },
  paths: { '/things': { get: { operationId: 'listThings', responses } } },
});

const document = (name: string): JsonObject =>
  things('Engine', {
    '200': {
      description: 'things',
      content: { 'application/json': { schema: { type: 'object' }, example: { name } } },
    },
  });

const answer = async (engine: PrismEngine): Promise<unknown> => {
  const reply = await engine.respond(
    'listThings',
    { method: 'get', path: '/things', query: {}, headers: {}, body: undefined },
    { dynamic: false },
  );
  if (isRefusal(reply)) throw new Error(reply.detail);
  return reply.body;
};

it('engines of the same document answer alike; an edited document, same file, answers as edited', async () => {
  const first = await PrismEngine.load(buildSpec(document('first'), 'things.yaml'));
  const again = await PrismEngine.load(buildSpec(document('first'), 'things.yaml'));
  const edited = await PrismEngine.load(buildSpec(document('edited'), 'things.yaml'));
  expect(await answer(first)).toEqual({ name: 'first' });
  expect(await answer(again)).toEqual({ name: 'first' });
  expect(await answer(edited)).toEqual({ name: 'edited' });
  expect(await answer(first)).toEqual({ name: 'first' });
});

const negotiated = things('Negotiated', {
  '200': {
    description: 'things',
    headers: { 'X-Kind': { schema: { type: 'string' }, example: 'listed' } },
    content: {
      'application/json': {
        schema: { type: 'object' },
        examples: { one: { value: { name: 'one' } }, two: { value: { name: 'two' } } },
      },
      'text/plain': { schema: { type: 'string' }, example: 'one, two' },
    },
  },
  '404': {
    description: 'none',
    content: { 'application/json': { schema: { type: 'object' }, example: { missing: true } } },
  },
});

it('each static answer is made once, yet every status, example and Accept value gets its own, and a caller may change what it got', async () => {
  const engine = await PrismEngine.load(buildSpec(negotiated, 'negotiated.yaml'));
  const ask = async (
    accept: string | undefined,
    scenario: { code?: number; exampleKey?: string } = {},
    from = engine,
    path = '/things',
  ) => {
    const reply = await from.respond(
      'listThings',
      { method: 'get', path, query: {}, headers: accept ? { accept } : {}, body: undefined },
      { dynamic: false, ...scenario },
    );
    if (isRefusal(reply)) throw new Error(reply.detail);
    return reply;
  };
  for (let i = 0; i < 3; i++) {
    const reply = await ask('application/json');
    expect(reply).toEqual({
      status: 200,
      headers: { 'x-kind': 'listed', 'content-type': 'application/json' },
      body: { name: 'one' },
    });
    (reply.body as { name: string }).name = 'changed by a caller';
    reply.headers['x-added'] = 'by a caller';
  }
  // The first answer, made by Prism, was changed too: Prism's own example, which every engine of the
  // same document shares, is not.
  const other = await PrismEngine.load(buildSpec(negotiated, 'negotiated.yaml'));
  expect((await ask('application/json', {}, other)).body).toEqual({ name: 'one' });
  // The path our router matched, a trailing slash included (which Prism's router refuses), answers
  // alike whether or not the answer was kept.
  expect((await ask('application/json', {}, other, '/things/')).body).toEqual({ name: 'one' });
  expect((await ask('application/json', { code: 404 }, engine, '/things/')).body).toEqual({ missing: true });
  expect((await ask('text/plain')).body).toBe('one, two');
  expect((await ask('application/json', { exampleKey: 'two' })).body).toEqual({ name: 'two' });
  expect((await ask('application/json', { code: 404 })).body).toEqual({ missing: true });
  expect((await ask('application/json')).body).toEqual({ name: 'one' });
  expect((await ask('text/plain')).body).toBe('one, two');
});
