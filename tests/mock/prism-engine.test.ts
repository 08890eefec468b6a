/**
 * mocks/prism-engine.ts: Prism's operations are read once per document text, so a mock started again
 * (or a watched spec put back) reuses them; a changed document is read again, whatever its file.
 */
import { expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json.js';
import { buildSpec } from '../../lib/spec.js';
import { isRefusal, PrismEngine } from '../../mocks/prism-engine.js';

const document = (name: string): JsonObject => ({
  openapi: '3.1.0',
  info: { title: 'Engine', version: '1' },
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        responses: {
          '200': {
            description: 'things',
            content: { 'application/json': { schema: { type: 'object' }, example: { name } } },
          },
        },
      },
    },
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
