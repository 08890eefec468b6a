/**
 * `format`: valid values for every format ajv-formats checks (OpenAPI's numeric formats are ranges,
 * in numbers.ts), one value breaking each, random values and unique values.
 */
import fc from 'fast-check';
import type { JsonSchema } from '../json-schema.js';
import { formatCheck, scalarAccepts } from './check.js';
import { guarded, type LocalVariant } from './schema.js';

/** Valid values, the first the usual sample; the others are boundaries of other shapes. */
const SAMPLES: Record<string, string[]> = {
  email: ['ada.lovelace@example.com', 'x@example.org'],
  uuid: ['3f2c8a61-5b7e-4d1a-9c3f-2e8b7a6d5c41', '00000000-0000-0000-0000-000000000000'],
  'date-time': ['2024-03-11T10:02:17.118Z', '2024-02-29T23:59:59+05:30'],
  date: ['2024-03-11', '2024-02-29'],
  time: ['10:02:17Z', '23:59:59.5+01:00'],
  duration: ['P1DT2H', 'PT30M', 'P2W'],
  uri: ['https://example.com/resource', 'urn:isbn:0451450523'],
  'uri-reference': ['/resource/1', 'https://example.com/a?b=c#d'],
  url: ['https://example.com/resource'],
  hostname: ['example.com', 'a'],
  ipv4: ['192.0.2.10', '255.255.255.255'],
  ipv6: ['2001:db8::10', '::1'],
  byte: ['Y29uZm9ybWFuY2U=', ''],
  regex: ['^[a-z]+$'],
  'json-pointer': ['/a/b'],
  'relative-json-pointer': ['0/a'],
  'uri-template': ['https://example.com/{id}'],
  'iso-time': ['10:02:17'],
  'iso-date-time': ['2024-03-11T10:02:17'],
};

const BROKEN: Record<string, string> = {
  email: 'not-an-email',
  uuid: 'not-a-uuid',
  'date-time': '2024-13-45T99:99:99Z',
  date: '2024-13-45',
  time: '99:99:99',
  duration: 'one day',
  uri: 'not a uri',
  'uri-reference': 'not a reference',
  url: 'not a url',
  hostname: '-not_a_hostname-',
  ipv4: '999.1.1.1',
  ipv6: 'not:an:ipv6::address::',
  byte: 'not base64!',
  regex: '[unclosed',
  'json-pointer': 'no-leading-slash',
  'relative-json-pointer': '/absolute',
  'uri-template': '{unclosed',
  'iso-time': '25:00:00',
  'iso-date-time': 'yesterday',
};

/** Formats whose values are strings and that AJV checks (the numeric ones are ranges). */
export const isStringFormat = (format: string): boolean => SAMPLES[format] !== undefined;

/** Valid values of the format that also satisfy the schema's length and pattern. */
export function formatSamples(format: string, flat: JsonSchema): string[] {
  const { enum: _e, const: _c, ...rest } = flat;
  return (SAMPLES[format] ?? []).filter((s) => scalarAccepts({ ...rest, type: 'string' }, s) === true);
}

export function formatBoundaries(format: string, flat: JsonSchema): LocalVariant[] {
  return formatSamples(format, flat).map((value) => ({ label: `valid ${format}`, value, keyword: 'format' }));
}

export function formatViolations(format: string): LocalVariant[] {
  const broken = BROKEN[format];
  return broken === undefined ? [] : [{ label: `bad ${format} format`, value: broken, keyword: 'format' }];
}

const isoDate = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const ARBITRARIES: Record<string, () => fc.Arbitrary<string>> = {
  email: () => fc.emailAddress(),
  uuid: () => fc.uuid(),
  'date-time': () => isoDate,
  date: () => isoDate.map((s) => s.slice(0, 10)),
  time: () => isoDate.map((s) => `${s.slice(11, 19)}Z`),
  duration: () => fc.tuple(fc.nat(30), fc.nat(23)).map(([d, h]) => `P${d}DT${h}H`),
  uri: () => fc.webUrl(),
  url: () => fc.webUrl(),
  'uri-reference': () =>
    fc.oneof(
      fc.webUrl(),
      fc.webPath().map((p) => p || '/'),
    ),
  hostname: () => fc.domain(),
  ipv4: () => fc.ipV4(),
  ipv6: () => fc.ipV6(),
  byte: () => fc.uint8Array({ maxLength: 24 }).map((bytes) => Buffer.from(bytes).toString('base64')),
};

/** Random valid values of the format within the schema's length and pattern; `fallback` otherwise. */
export function formatArbitrary(format: string, flat: JsonSchema, fallback: string): fc.Arbitrary<string> {
  const make = ARBITRARIES[format];
  const samples = formatSamples(format, flat);
  const base = make ? make() : fc.constantFrom(...(samples.length > 0 ? samples : [fallback]));
  const check = formatCheck(format);
  const { enum: _e, const: _c, ...rest } = flat;
  return guarded(base, (s) => (check?.(s) ?? true) && scalarAccepts({ ...rest, type: 'string' }, s) === true, fallback);
}

/**
 * Whether a text is shaped like an email address (`alice@mail.example.net`: a valid address whose domain
 * ends in a name), whatever format its schema states: it is an address where the document shows one.
 */
export function emailShaped(text: string): boolean {
  return /@[^@]*\.[a-z]{2,}$/i.test(text) && (formatCheck('email')?.(text) ?? false);
}

/**
 * A value of the format that no other tag produces, for unique fields and merge keys. Addresses and
 * URLs are on the domains reserved for examples (RFC 2606): a made-up one sent on a live run reaches
 * no one.
 */
export function uniqueFormatValue(format: string, tag: string): string | undefined {
  switch (format) {
    case 'email':
      return `c${tag}@example.com`;
    case 'uri':
      return `https://example.com/${tag}`;
    case 'uri-reference':
      return `/${tag}`;
    case 'hostname':
      return `c${tag}.example.com`;
    case 'uuid': {
      const hex = Buffer.from(tag).toString('hex').padEnd(12, '0').slice(-12);
      return `00000000-0000-4000-8000-${hex}`;
    }
    default:
      return undefined;
  }
}
