import { describe, expect, test } from 'vitest';
import { emailShaped, formatBoundaries, formatViolations, uniqueFormatValue } from '../../lib/generators/formats.js';
import { ABOVE_INT64, ValidatorCache } from '../../lib/validator.js';

const FORMATS = [
  'date',
  'date-time',
  'time',
  'duration',
  'email',
  'uri',
  'uri-reference',
  'uuid',
  'ipv4',
  'ipv6',
  'hostname',
  'byte',
];
const validators = new ValidatorCache();

describe.each(FORMATS)('format %s', (format) => {
  const schema = { type: 'string', format };
  test('every sample validates and the broken value does not', () => {
    const validate = validators.get(schema);
    const samples = formatBoundaries(format, schema);
    expect(samples.length).toBeGreaterThan(0);
    for (const { value } of samples) expect(validate(value), String(value)).toBe(true);
    const [broken] = formatViolations(format);
    expect(broken?.keyword).toBe('format');
    expect(validate(broken?.value), String(broken?.value)).toBe(false);
  });
});

describe('AJV checks the OpenAPI formats', () => {
  test.each([
    [{ type: 'integer', format: 'int32' }, 2 ** 31 - 1, 2 ** 31],
    [{ type: 'integer', format: 'int64' }, Number.MAX_SAFE_INTEGER, ABOVE_INT64],
    [{ type: 'string', format: 'byte' }, 'Y29uZm9ybWFuY2U=', 'not base64!'],
    [{ type: 'string', format: 'duration' }, 'P1DT2H', 'one day'],
  ])('%j accepts %j and rejects %j', (schema, good, bad) => {
    const validate = validators.get(schema);
    expect(validate(good)).toBe(true);
    expect(validate(bad)).toBe(false);
  });

  test('float, double, binary and password accept any value of their type', () => {
    expect(validators.get({ type: 'number', format: 'double' })(1.5)).toBe(true);
    expect(validators.get({ type: 'string', format: 'password' })('x')).toBe(true);
  });

  test('unique values differ per tag and keep the format', () => {
    const validate = validators.get({ type: 'string', format: 'uuid' });
    const [a, b] = [uniqueFormatValue('uuid', 'a1'), uniqueFormatValue('uuid', 'b2')];
    expect(a).not.toBe(b);
    expect(validate(a)).toBe(true);
  });
});

describe('emailShaped', () => {
  test('an address with a named domain is one, whatever the schema says; a text with an @ elsewhere is not', () => {
    for (const text of ['alice@mail.example.net', 'ada.lovelace+news@example.com'])
      expect(emailShaped(text)).toBe(true);
    for (const text of ['alice@convertk~00071', 'lodash@4', 'confo~00071', '@example.com', 'a b@example.com', ''])
      expect(emailShaped(text)).toBe(false);
  });
});
