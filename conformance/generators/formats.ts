/** `format`: a valid value for the common formats, a value breaking each, and unique values. */
import type { Variant } from './schema.js';

const SAMPLES: Record<string, string> = {
  email: 'ada.lovelace@example.com',
  uuid: '3f2c8a61-5b7e-4d1a-9c3f-2e8b7a6d5c41',
  'date-time': '2024-03-11T10:02:17.118Z',
  date: '2024-03-11',
  time: '10:02:17Z',
  uri: 'https://example.com/resource',
  'uri-reference': '/resource/1',
  hostname: 'example.com',
  ipv4: '192.0.2.10',
  ipv6: '2001:db8::10',
};

const BROKEN: Record<string, string> = {
  email: 'not-an-email',
  uuid: 'not-a-uuid',
  'date-time': '2024-13-45T99:99:99Z',
  date: '2024-13-45',
  time: '99:99:99',
  uri: 'not a uri',
  hostname: '-not_a_hostname-',
  ipv4: '999.1.1.1',
  ipv6: 'not:an:ipv6::address::',
};

export function sampleFormat(format: string): string | undefined {
  return SAMPLES[format];
}

export function formatViolations(format: string): Variant[] {
  const broken = BROKEN[format];
  return broken === undefined ? [] : [{ label: `bad ${format} format`, value: broken }];
}

/** A value of the format that no other tag produces, for unique fields and merge keys. */
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
