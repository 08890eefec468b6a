import { expect, test } from 'vitest';
import { toCurl } from '../../conformance/curl.js';
import { Redactor, maskValue } from '../../conformance/redact.js';

test('secret headers keep their scheme and lose their value', () => {
  expect(maskValue('Bearer abc.def')).toBe('Bearer ***');
  expect(maskValue('s3cr3t')).toBe('***');
  const redactor = new Redactor([['Authorization', 'Bearer tok-123456'], ['X-Api-Key', 'key-987654'], ['Customer-Id', '14532']]);
  expect(redactor.headers({ Authorization: 'Bearer tok-123456', 'X-Api-Key': 'key-987654', 'Customer-Id': '14532' })).toEqual({
    Authorization: 'Bearer ***',
    'X-Api-Key': '***',
    'Customer-Id': '14532',
  });
  expect(redactor.text('echo: tok-123456 and key-987654')).toBe('echo: *** and ***');
  expect(redactor.value({ nested: ['Bearer tok-123456'] })).toEqual({ nested: ['***'] });
});

test('curl quotes safely and carries the (redacted) headers and body', () => {
  const curl = toCurl({ method: 'POST', url: 'http://h/x', headers: { Authorization: 'Bearer ***' }, body: `{"name":"O'Neil"}` });
  expect(curl).toBe(`curl -i -X POST 'http://h/x' -H 'Authorization: Bearer ***' --data-binary '{"name":"O'\\''Neil"}'`);
});
