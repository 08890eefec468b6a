/**
 * How the mock reads the spec's path keys: a concrete path answers before a templated one listed
 * earlier, a key's `#` suffix is no part of the path it serves, and a `?` suffix is a query it requires. The specs are tests/fixtures/openapi/*.yaml, served by the real mock on a free port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';

const FIXTURES = 'tests/fixtures/openapi';
let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({
    port: 0,
    specFiles: [
      `${FIXTURES}/literal-path.yaml`,
      `${FIXTURES}/fragment-path.yaml`,
      `${FIXTURES}/query-path.yaml`,
      `${FIXTURES}/body-sibling.yaml`,
    ],
  });
});
afterAll(() => mock?.close());

async function get(path: string, method = 'GET'): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${mock.url}${path}`, { method });
  return { status: response.status, body: await response.json() };
}

describe('path precedence', () => {
  it('routes a literal path to its own operation though a templated one is listed first', async () => {
    expect(await get('/literal/emails/receiving')).toEqual({ status: 200, body: { data: [] } });
    expect(await get('/literal/emails/e9')).toEqual({ status: 200, body: { id: 'e1' } });
  });

  it('prefers the literal segment at the first difference, segment by segment', async () => {
    // `/teams/{team}/members` is listed first and matches too; `/teams/mine/{list}` is literal one segment earlier.
    expect(await get('/literal/teams/mine/members')).toEqual({ status: 200, body: { by: 'mine' } });
    expect(await get('/literal/teams/red/members')).toEqual({ status: 200, body: { by: 'team' } });
  });
});

describe('a path key with a # suffix', () => {
  it('serves the operation at the path without the suffix', async () => {
    expect(await get('/fragment/files/f1?fields=shared_link', 'PUT')).toEqual({
      status: 200,
      body: { shared_link: 'https://updated' },
    });
  });

  it('routes a method and path two operations share to the one listed first', async () => {
    expect(await get('/fragment/files/f1?fields=shared_link')).toEqual({ status: 200, body: { type: 'file' } });
  });
});

describe('a path key with a ? suffix', () => {
  it('serves its operation to a request with that query, and the path without it to one without', async () => {
    expect(await get('/query/responses/r1?beta=true')).toEqual({ status: 200, body: { beta: true } });
    expect(await get('/query/responses/r1?include=usage&beta=true')).toEqual({ status: 200, body: { beta: true } });
    expect(await get('/query/responses/r1')).toEqual({ status: 200, body: { beta: false } });
    expect(await get('/query/responses/r1?beta=false')).toEqual({ status: 200, body: { beta: false } });
  });
});

describe('two path keys of one request path told apart by the body (`/conversations#stream`)', () => {
  const post = (body: unknown) =>
    fetch(`${mock.url}/body/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers each request by the operation whose body it is, and refuses one that is neither', async () => {
    const streamed = await post({ inputs: 'hi', stream: true });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    const whole = await post({ inputs: 'hi' });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('application/json');
    expect((await post({ stream: true })).status).toBe(422);
  });
});
