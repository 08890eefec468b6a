/** The runtime expressions of OpenAPI links, read from an exchange the run made. */
import { describe, expect, it } from 'vitest';
import { type ExpressionSource, evaluateExpression } from '../../conformance/runtime-expression.js';

const source = (body: string | undefined, type: string): ExpressionSource => ({
  request: {
    method: 'post',
    url: 'http://127.0.0.1:4010/api/lists/7%2F8/contacts?tag=vip&tag=new&empty=',
    headers: { 'Content-Type': type, 'X-Tenant': 'acme' },
    ...(body !== undefined ? { body } : {}),
  },
  response: {
    status: 201,
    headers: { location: '/api/lists/7%2F8/contacts/42' },
    text: '{"data":{"id":42,"a/b":true}}',
    json: { value: { data: { id: 42, 'a/b': true } } },
  },
  template: '/lists/{listId}/contacts',
  baseUrl: 'http://127.0.0.1:4010/api/',
});

describe('evaluateExpression', () => {
  const json = source('{"email":"a@b.co","tags":["x"]}', 'application/json; charset=utf-8');

  it('reads the request: its URL, method, path, query, headers and JSON body', () => {
    expect(evaluateExpression('$url', json)).toBe(json.request.url);
    expect(evaluateExpression('$method', json)).toBe('POST');
    expect(evaluateExpression('$request.path.listId', json)).toBe('7/8');
    expect(evaluateExpression('$request.query.tag', json)).toBe('vip');
    expect(evaluateExpression('$request.query.empty', json)).toBe('');
    expect(evaluateExpression('$request.header.x-tenant', json)).toBe('acme');
    expect(evaluateExpression('$request.body#/email', json)).toBe('a@b.co');
    expect(evaluateExpression('$request.body#/tags/0', json)).toBe('x');
    expect(evaluateExpression('$request.body', json)).toEqual({ email: 'a@b.co', tags: ['x'] });
  });

  it('reads the answer: its status, headers (any case) and body, pointers escaped', () => {
    expect(evaluateExpression('$statusCode', json)).toBe(201);
    expect(evaluateExpression('$response.header.Location', json)).toBe('/api/lists/7%2F8/contacts/42');
    expect(evaluateExpression('$response.body#/data/id', json)).toBe(42);
    expect(evaluateExpression('$response.body#/data/a~1b', json)).toBe(true);
  });

  it("reads part of a header, query or path value by a pattern (Schemathesis' #regex:): its first group, else the match", () => {
    expect(evaluateExpression('$response.header.Location#regex:/contacts/([^/]+)$', json)).toBe('42');
    expect(evaluateExpression('$response.header.location#regex:\\d+$', json)).toBe('42');
    expect(evaluateExpression('$request.query.tag#regex:^v(.)', json)).toBe('i');
    expect(evaluateExpression('$request.path.listId#regex:/(\\d)', json)).toBe('8');
    // No match, no such header, or a pattern that is no regular expression: no value.
    expect(evaluateExpression('$response.header.Location#regex:/groups/(\\d+)', json)).toBeUndefined();
    expect(evaluateExpression('$response.header.X-Id#regex:(.+)', json)).toBeUndefined();
    expect(evaluateExpression('$response.header.Location#regex:(', json)).toBeUndefined();
  });

  it('a form body is read by field name, the first of a repeated one', () => {
    const form = source('email=c%40d.co&tag=a&tag=b', 'application/x-www-form-urlencoded');
    expect(evaluateExpression('$request.body#/email', form)).toBe('c@d.co');
    expect(evaluateExpression('$request.body#/tag', form)).toBe('a');
  });

  it('embeds expressions in braces and gives a constant as it is written', () => {
    expect(evaluateExpression('/contacts/{$response.body#/data/id}?by={$request.header.X-Tenant}', json)).toBe(
      '/contacts/42?by=acme',
    );
    expect(evaluateExpression('42', json)).toBe('42');
    expect(evaluateExpression('vip', json)).toBe('vip');
  });

  it('is undefined where the exchange has nothing: no such member, no such parameter, a body it cannot read', () => {
    for (const missing of [
      '$request.body#/phone',
      '$request.body#email',
      '$request.path.contactId',
      '$request.query.page',
      '$request.header.X-Other',
      '$response.body#/data/name',
      '$response.header.ETag',
      '$request.cookie.session',
      '$unknown',
      '/contacts/{$response.body#/data/name}',
      '/contacts/{$response.body#/data}',
    ])
      expect(evaluateExpression(missing, json), missing).toBeUndefined();
    expect(evaluateExpression('$request.body#/email', source('email: a@b.co', 'text/plain'))).toBeUndefined();
    expect(evaluateExpression('$request.body#/email', source('{not json', 'application/json'))).toBeUndefined();
    expect(evaluateExpression('$request.body', source(undefined, 'application/json'))).toBeUndefined();
  });
});
