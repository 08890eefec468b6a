import { expect, test } from 'vitest';
import { toCurl } from '../../conformance/curl.js';
import { maskValue, Redactor } from '../../conformance/redact.js';
import { credentialNames, type SecurityScheme } from '../../lib/security.js';

test('secret headers keep their scheme and lose their value', () => {
  expect(maskValue('Bearer abc.def')).toBe('Bearer ***');
  expect(maskValue('s3cr3t')).toBe('***');
  const redactor = new Redactor([
    ['Authorization', 'Bearer tok-123456'],
    ['X-Api-Key', 'key-987654'],
    ['Customer-Id', '14532'],
  ]);
  expect(
    redactor.headers({ Authorization: 'Bearer tok-123456', 'X-Api-Key': 'key-987654', 'Customer-Id': '14532' }),
  ).toEqual({
    Authorization: 'Bearer ***',
    'X-Api-Key': '***',
    'Customer-Id': '14532',
  });
  expect(redactor.text('echo: tok-123456 and key-987654')).toBe('echo: *** and ***');
  expect(redactor.value({ nested: ['Bearer tok-123456'] })).toEqual({ nested: ['***'] });
});

test('secret by name: auth and signature too, any length in headers, >= 4 characters in text', () => {
  const redactor = new Redactor([
    ['X-Auth', 'hunter2pass'],
    ['X-Session', 'ab1'],
    ['X-Signature', 'sig-0042'],
    ['Customer-Id', '14532'],
  ]);
  expect(
    redactor.headers({
      'x-auth': 'hunter2pass',
      'x-session': 'ab1',
      'x-signature': 'sig-0042',
      'customer-id': '14532',
    }),
  ).toEqual({
    'x-auth': '***',
    'x-session': '***',
    'x-signature': '***',
    'customer-id': '14532',
  });
  expect(redactor.text('hunter2pass sig-0042 tab1e')).toBe('*** *** tab1e');
});

test("names from the spec's apiKey schemes are secret: header, query and cookie", () => {
  const scheme = (where: 'header' | 'query' | 'cookie', name: string): SecurityScheme => ({
    name,
    kind: 'apiKey',
    in: where,
    parameterName: name,
  });
  const names = credentialNames([scheme('header', 'X-Client'), scheme('query', 'sig'), scheme('cookie', 'sid')]);
  const redactor = new Redactor(
    [
      ['X-Client', 'c1'],
      ['X-Client', 'client-77'],
    ],
    names,
  );
  expect(redactor.headers({ 'x-client': 'c1' })).toEqual({ 'x-client': '***' });
  expect(redactor.text('http://h/x?a=1&sig=abc&b=2 client-77')).toBe('http://h/x?a=1&sig=***&b=2 ***');
  expect(redactor.text('sid=abc; other=1')).toBe('sid=***; other=1');
});

test('curl quotes safely and carries the (redacted) headers and body', () => {
  const curl = toCurl({
    method: 'POST',
    url: 'http://h/x',
    headers: { Authorization: 'Bearer ***' },
    body: `{"name":"O'Neil"}`,
  });
  expect(curl).toBe(
    `curl -i -X POST 'http://h/x' -H 'Authorization: Bearer ***' --data-binary '{"name":"O'\\''Neil"}'`,
  );
});
