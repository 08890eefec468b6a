/**
 * lib/security.ts: where each security scheme's credential travels, read once for the mock's
 * authentication, the runner's generated credentials, its throttle log and redaction.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../lib/errors.js';
import {
  credentialHeaders,
  credentialNames,
  credentialOf,
  credentialValue,
  presentedCredential,
  readSecurityScheme,
  type SecurityScheme,
} from '../../lib/security.js';
import type { WireSource } from '../../lib/wire.js';

const SECRET = { token: 'tok-123', user: 'ada', password: 'p@ss:word' };

describe('readSecurityScheme: kind, place, name and prefix', () => {
  const cases: [string, unknown, Omit<SecurityScheme, 'name'>][] = [
    [
      'http bearer',
      { type: 'http', scheme: 'bearer' },
      { kind: 'bearer', in: 'header', parameterName: 'Authorization', prefix: 'Bearer' },
    ],
    [
      'http Bearer (any case)',
      { type: 'http', scheme: 'Bearer' },
      { kind: 'bearer', in: 'header', parameterName: 'Authorization', prefix: 'Bearer' },
    ],
    [
      'oauth2',
      { type: 'oauth2', flows: {} },
      { kind: 'bearer', in: 'header', parameterName: 'Authorization', prefix: 'Bearer' },
    ],
    [
      'openIdConnect',
      { type: 'openIdConnect', openIdConnectUrl: 'https://id.example/.well-known' },
      { kind: 'bearer', in: 'header', parameterName: 'Authorization', prefix: 'Bearer' },
    ],
    [
      'http basic',
      { type: 'http', scheme: 'basic' },
      { kind: 'basic', in: 'header', parameterName: 'Authorization', prefix: 'Basic' },
    ],
    [
      'http digest',
      { type: 'http', scheme: 'digest' },
      { kind: 'other', in: 'header', parameterName: 'Authorization', prefix: 'Digest' },
    ],
    ['apiKey in a header', { type: 'apiKey', in: 'header', name: 'X-Api-Key' }, apiKey('header', 'X-Api-Key')],
    ['apiKey in the query', { type: 'apiKey', in: 'query', name: 'api_key' }, apiKey('query', 'api_key')],
    ['apiKey in a cookie', { type: 'apiKey', in: 'cookie', name: 'sid' }, apiKey('cookie', 'sid')],
    ['apiKey without a name', { type: 'apiKey', in: 'header' }, apiKey('header', 'scheme')],
    ['apiKey in an unknown place', { type: 'apiKey', in: 'body', name: 'k' }, apiKey('header', 'k')],
    ['mutualTLS', { type: 'mutualTLS' }, { kind: 'other', in: 'header', parameterName: 'Authorization' }],
    ['not an object', 'bearer', { kind: 'other', in: 'header', parameterName: 'Authorization' }],
  ];

  function apiKey(location: SecurityScheme['in'], name: string): Omit<SecurityScheme, 'name'> {
    return { kind: 'apiKey', in: location, parameterName: name };
  }

  for (const [title, raw, expected] of cases) {
    it(title, () => {
      expect(readSecurityScheme('scheme', raw)).toEqual({ name: 'scheme', ...expected });
    });
  }
});

/** A request carrying `value` where the scheme says, and nothing anywhere else. */
function carrying(scheme: SecurityScheme, value: string): WireSource {
  if (scheme.in === 'query') return { query: `${scheme.parameterName}=${encodeURIComponent(value)}`, headers: {} };
  if (scheme.in === 'cookie') return { headers: { cookie: `other=1; ${scheme.parameterName}=${value}` } };
  return { headers: { [scheme.parameterName.toLowerCase()]: value } };
}

describe('the credential travels where the scheme says, and only there', () => {
  const schemes = [
    readSecurityScheme('bearer', { type: 'http', scheme: 'bearer' }),
    readSecurityScheme('basic', { type: 'http', scheme: 'basic' }),
    readSecurityScheme('digest', { type: 'http', scheme: 'digest' }),
    readSecurityScheme('header', { type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
    readSecurityScheme('query', { type: 'apiKey', in: 'query', name: 'api_key' }),
    readSecurityScheme('cookie', { type: 'apiKey', in: 'cookie', name: 'sid' }),
  ];

  for (const scheme of schemes) {
    it(`${scheme.name}: what the runner sends is what the mock reads`, () => {
      const value = credentialValue(scheme, SECRET);
      expect(presentedCredential(scheme, carrying(scheme, value))).toBe(value);
      expect(credentialOf(scheme, carrying(scheme, value))).toBe(value);
    });

    it(`${scheme.name}: a credential at another place does not count`, () => {
      const value = credentialValue(scheme, SECRET);
      const elsewhere = schemes.find(
        (other) => other.in !== scheme.in || other.parameterName !== scheme.parameterName,
      )!;
      expect(presentedCredential(scheme, carrying(elsewhere, value))).toBeUndefined();
      expect(credentialOf(scheme, {})).toBeUndefined();
    });
  }

  it('header names are matched in any case', () => {
    const key = schemes[3]!;
    expect(credentialOf(key, { headers: { 'X-API-KEY': 'k' } })).toBe('k');
  });

  it('an empty credential is presented but is no credential', () => {
    const key = schemes[4]!;
    expect(presentedCredential(key, { query: 'api_key=' })).toBe('');
    expect(credentialOf(key, { query: 'api_key=' })).toBeUndefined();
    expect(presentedCredential(key, { query: 'other=1' })).toBeUndefined();
  });
});

describe('credentialOf: the credential must have the scheme shape', () => {
  const bearer = readSecurityScheme('b', { type: 'http', scheme: 'bearer' });
  const basic = readSecurityScheme('a', { type: 'http', scheme: 'basic' });
  const at = (value: string): WireSource => ({ headers: { authorization: value } });

  it('the Authorization word of the scheme (any case) followed by a value', () => {
    expect(credentialOf(bearer, at('Bearer t'))).toBe('Bearer t');
    expect(credentialOf(bearer, at('bearer t'))).toBe('bearer t');
    expect(credentialOf(basic, at('Basic YTpi'))).toBe('Basic YTpi');
  });

  it('another scheme word, or the word alone, is not the credential', () => {
    expect(credentialOf(bearer, at('Basic YTpi'))).toBeUndefined();
    expect(credentialOf(bearer, at('Bearer'))).toBeUndefined();
    expect(credentialOf(bearer, at('Bearertoken'))).toBeUndefined();
    expect(credentialOf(basic, at('Bearer t'))).toBeUndefined();
  });

  it('an API key takes any value', () => {
    const key = readSecurityScheme('k', { type: 'apiKey', in: 'header', name: 'X-Key' });
    expect(credentialOf(key, { headers: { 'x-key': 'Bearer or anything' } })).toBe('Bearer or anything');
  });
});

describe('credentialValue', () => {
  it('Basic: base64 of user:password', () => {
    const basic = readSecurityScheme('a', { type: 'http', scheme: 'basic' });
    const value = credentialValue(basic, SECRET);
    expect(value).toBe(`Basic ${Buffer.from('ada:p@ss:word').toString('base64')}`);
  });

  it('the scheme word and the token for other http schemes; the bare token for API keys', () => {
    expect(credentialValue(readSecurityScheme('b', { type: 'oauth2' }), SECRET)).toBe('Bearer tok-123');
    expect(credentialValue(readSecurityScheme('d', { type: 'http', scheme: 'digest' }), SECRET)).toBe('Digest tok-123');
    expect(credentialValue(readSecurityScheme('k', { type: 'apiKey', in: 'query', name: 'k' }), SECRET)).toBe(
      'tok-123',
    );
  });
});

describe('credentialNames and credentialHeaders', () => {
  const schemes = [
    readSecurityScheme('b', { type: 'http', scheme: 'bearer' }),
    readSecurityScheme('o', { type: 'oauth2' }),
    readSecurityScheme('h', { type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
    readSecurityScheme('q', { type: 'apiKey', in: 'query', name: 'Api_Key' }),
    readSecurityScheme('c', { type: 'apiKey', in: 'cookie', name: 'SID' }),
  ];

  it('each name once, by place; header names lower-cased, query and cookie names as written', () => {
    expect(credentialNames(schemes)).toEqual({
      headers: ['authorization', 'x-api-key'],
      query: ['Api_Key'],
      cookies: ['SID'],
    });
  });

  it('the headers a credential travels in: its own, and cookie for a cookie scheme', () => {
    expect(credentialHeaders(schemes)).toEqual(['authorization', 'x-api-key', 'cookie']);
    expect(credentialHeaders(schemes.slice(0, 3))).toEqual(['authorization', 'x-api-key']);
    expect(credentialHeaders([])).toEqual([]);
  });
});

describe('x-credential: what the vendor says a credential looks like', () => {
  const siteBasic = readSecurityScheme('basicAuth', {
    type: 'http',
    scheme: 'basic',
    'x-credential': { pattern: '^[^\\\\:]+\\\\[^:]+:', example: 'site\\user:password' },
  });
  const basic = (pair: string): WireSource => ({
    headers: { authorization: `Basic ${Buffer.from(pair).toString('base64')}` },
  });

  it("a Basic credential is read decoded: Eloqua's site\\user is one, a bare user is not", () => {
    expect(credentialOf(siteBasic, basic('acme\\ada:pw'))).toBeDefined();
    expect(credentialOf(siteBasic, basic('ada:pw'))).toBeUndefined();
    // Presented all the same: the answer is about wrong credentials, not missing ones.
    expect(presentedCredential(siteBasic, basic('ada:pw'))).toBeDefined();
  });

  it('a token or key is read as it is', () => {
    const token = readSecurityScheme('t', {
      type: 'http',
      scheme: 'bearer',
      'x-credential': { pattern: '^sk_[a-z]+_', example: 'sk_test_1' },
    });
    const key = readSecurityScheme('k', {
      type: 'apiKey',
      in: 'header',
      name: 'X-Key',
      'x-credential': { pattern: '^[0-9a-f]{8}$', example: '0badcafe' },
    });
    expect(credentialOf(token, { headers: { authorization: 'Bearer sk_live_x' } })).toBeDefined();
    expect(credentialOf(token, { headers: { authorization: 'Bearer pk_live_x' } })).toBeUndefined();
    expect(credentialOf(key, { headers: { 'x-key': '0badcafe' } })).toBe('0badcafe');
    expect(credentialOf(key, { headers: { 'x-key': 'nothex!!' } })).toBeUndefined();
    // Generated credentials take the look: the example where the run's own would not fit.
    expect(credentialValue(token, SECRET)).toBe('Bearer sk_test_1');
    expect(credentialValue(key, SECRET)).toBe('0badcafe');
  });

  it("a generated Basic credential keeps the run's password under the example's user", () => {
    const value = credentialValue(siteBasic, SECRET);
    expect(value).toBe(`Basic ${Buffer.from('site\\user:p@ss:word').toString('base64')}`);
    expect(credentialOf(siteBasic, { headers: { authorization: value } })).toBe(value);
  });

  it('a pattern that does not compile, or an example it refuses, names the scheme', () => {
    const read = (extension: unknown) => () =>
      readSecurityScheme('basicAuth', { type: 'http', scheme: 'basic', 'x-credential': extension });
    expect(read({ pattern: '([', example: 'a' })).toThrow(
      /^security scheme basicAuth x-credential: "pattern" is not a regular expression/,
    );
    expect(read({ pattern: '^a$', example: 'b' })).toThrow(
      'security scheme basicAuth x-credential: "example" does not match "pattern"',
    );
    expect(read('^a$')).toThrow(SpecError);
  });
});
