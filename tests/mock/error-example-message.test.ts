/**
 * An error example whose message names one mistake, with no `x-error-body` naming examples by cause:
 * a refusal of the request's body says what was wrong with it, in the example's format (its message
 * property, its list of message strings), not the example's unrelated text; a refusal of a path value
 * keeps the example's words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';

const FIXTURE = 'tests/fixtures/openapi/error-example-message.yaml';

let mock: RunningMock;
let base: string;

beforeAll(async () => {
  mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  base = mock.apis[0]!.baseUrl;
});

afterAll(async () => {
  await mock.close();
});

const send = async (method: string, path: string, body: string, type = 'application/json') => {
  const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': type }, body });
  return { status: response.status, body: await response.json() };
};

describe('an error example without x-error-body', () => {
  it("a list of message strings lists the body's real mistakes", async () => {
    expect(await send('POST', '/people', '{"email":')).toEqual({
      status: 422,
      body: { errors: [expect.stringMatching(/^The request body is not valid JSON/)] },
    });
    expect(await send('POST', '/people', '{"email":"ada@example.com","first_name":5}')).toEqual({
      status: 422,
      body: { errors: ['first_name must be string'] },
    });
    expect(await send('POST', '/people', '{"email":"ada@example.com","fields":{"company":"Acme"}}')).toEqual({
      status: 422,
      body: { errors: ['fields.source is required'] },
    });
    expect(await send('POST', '/people', '{"first_name":5}')).toEqual({
      status: 422,
      body: { errors: ['email is required', 'first_name must be string'] },
    });
    expect(await send('POST', '/people', 'x', 'text/plain')).toEqual({
      status: 422,
      body: { errors: ['Content-Type text/plain is not supported; send application/json'] },
    });
  });

  it('a message property says the mistake, the rest of the example stays', async () => {
    expect(await send('PUT', '/notes/1', '{}')).toEqual({
      status: 400,
      body: { code: 'invalid_request', message: 'title is required' },
    });
  });

  it("a refusal of a path value keeps the example's words", async () => {
    // Such an example may be the vendor's own words for a bad id: only the body's mistakes are restated.
    expect(await send('PUT', '/notes/abc', '{"title":"x"}')).toEqual({
      status: 400,
      body: { code: 'invalid_request', message: 'Title is too long' },
    });
  });
});
