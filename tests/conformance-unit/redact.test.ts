import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { planCases } from '../../conformance/cases/plan.js';
import { evaluate } from '../../conformance/checks/evaluate.js';
import { isJudged, selectChecks } from '../../conformance/checks/registry.js';
import { toCurl } from '../../conformance/curl.js';
import { maskValue, Redactor } from '../../conformance/redact.js';
import { buildReport } from '../../conformance/report.js';
import { renderHar } from '../../conformance/reporters/har.js';
import { renderJson } from '../../conformance/reporters/json.js';
import { renderJunit } from '../../conformance/reporters/junit.js';
import { renderSummary } from '../../conformance/reporters/summary.js';
import type { Exchange, TestCase } from '../../conformance/types.js';
import { credentialNames, type SecurityScheme } from '../../lib/security.js';
import { loadSpec, type Spec } from '../../lib/spec.js';
import { ValidatorCache } from '../../lib/validator.js';

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

test('only an Authorization header shows its scheme, and never one that spells the start of the secret', () => {
  const redactor = new Redactor([
    ['X-Api-Key', 'prefix rest-of-key'],
    ['X-Other-Key', 'Q7 *'],
    ['Authorization', 'Q7 *'],
  ]);
  // An API key's first word is part of the key; `Q7 ***` would hold the secret `Q7 *` itself.
  expect(redactor.headers({ 'x-api-key': 'prefix rest-of-key', 'x-other-key': 'Q7 *', authorization: 'Q7 *' })).toEqual(
    { 'x-api-key': '***', 'x-other-key': '***', authorization: '***' },
  );
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

test("the run's own made-up credentials are shown where they stand whole, unless they hold a given secret", () => {
  const names = credentialNames([{ name: 'key', kind: 'apiKey', in: 'query', parameterName: 'api_key' }]);
  const made = ['Bearer conformance-run-0a1b2c3d4e5f', 'conformance-run-0a1b2c3d4e5f', 'Bearer holds-given-1234'];
  const redactor = new Redactor([['Authorization', 'Bearer given-1234']], names, made);
  expect(redactor.headers({ authorization: 'Bearer conformance-run-0a1b2c3d4e5f', 'x-api-key': 'other' })).toEqual({
    authorization: 'Bearer conformance-run-0a1b2c3d4e5f',
    'x-api-key': '***',
  });
  expect(redactor.headers({ authorization: 'Bearer given-1234' })).toEqual({ authorization: 'Bearer ***' });
  expect(redactor.headers({ authorization: 'Bearer holds-given-1234' })).toEqual({ authorization: 'Bearer ***' });
  expect(redactor.text('http://h/x?api_key=conformance-run-0a1b2c3d4e5f&api_key=mine')).toBe(
    'http://h/x?api_key=conformance-run-0a1b2c3d4e5f&api_key=***',
  );
  // A given secret too short to be looked for in text is still never shown as a made value.
  const short = new Redactor([['X-Key', 'k12']], { headers: ['x-key'], query: ['key'], cookies: [] }, ['k12']);
  expect(short.headers({ 'X-Key': 'k12' })).toEqual({ 'X-Key': '***' });
  expect(short.text('http://h/x?key=k12')).toBe('http://h/x?key=***');
});

test('a value given for a query or cookie API key is masked in any text, under any name, also when a made value equals it', () => {
  const names = credentialNames([
    { name: 'token', kind: 'apiKey', in: 'query', parameterName: 'access_token' },
    { name: 'session', kind: 'apiKey', in: 'cookie', parameterName: 'sid' },
  ]);
  const redactor = new Redactor([], names, ['sk_live_Q7x9Zt4k'], ['sk_live_Q7x9Zt4k', 'sess-2f8c1d9e']);
  expect(redactor.text('http://h/x?access_token=sk_live_Q7x9Zt4k&limit=1')).toBe('http://h/x?access_token=***&limit=1');
  expect(
    redactor.value({ echo: 'you sent sk_live_Q7x9Zt4k', [Buffer.from('sess-2f8c1d9e').toString('base64')]: 1 }),
  ).toEqual({
    echo: 'you sent ***',
    '***': 1,
  });
  expect(redactor.headers({ 'x-echo': 'sk_live_Q7x9Zt4k', 'set-cookie': 'sid=sess-2f8c1d9e' })).toEqual({
    'x-echo': '***',
    'set-cookie': '***',
  });
});

test('a secret is masked in any case, encoding and whitespace, overlapping another, or cut short', () => {
  const redactor = new Redactor([
    ['Authorization', `Basic ${Buffer.from('ann:p/ss wörd~1').toString('base64')}`],
    ['X-Api-Key', 'abcd1234'],
    ['X-Token', '1234wxyz'],
  ]);
  // undici lower-cases header names.
  expect(redactor.headers({ 'x-p/ss wörd~1': '1' })).toEqual({ 'x-***': '1' });
  expect(redactor.text('P/SS WÖRD~1')).toBe('***');
  expect(redactor.text('{"a":"p\\/ss w\\u00f6rd~1"}')).toBe('{"a":"***"}');
  expect(redactor.text('/attributes/p~1ss wörd~01: must be string')).toBe('/attributes/***: must be string');
  expect(redactor.text('?q=p%2Fss%20w%C3%B6rd~1&r=p%2Fss+w%C3%B6rd~1')).toBe('?q=***&r=***');
  expect(redactor.text('200 p/ss  \t wörd~1')).toBe('200 ***');
  expect(redactor.text('abcd1234wxyz')).toBe('***');
  expect(redactor.text('200 {"note":"p/ss wö…')).toBe('200 {"note":"***…');
  expect(redactor.text('200 {"note":"p/s…')).toBe('200 {"note":"p/s…');
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

// ---------------------------------------------------------------------------------------------
// Position-proof redaction: the run's secrets anywhere in an answer, never in an output
// ---------------------------------------------------------------------------------------------

const SPEC_FILE = 'tests/hostile/fixtures/hostile.yaml';
let spec: Spec;
let validators: ValidatorCache;
let cases: TestCase[];
const checks = selectChecks(undefined, undefined);

beforeAll(async () => {
  spec = await loadSpec(SPEC_FILE);
  validators = new ValidatorCache();
  validators.register(spec);
  const plan = planCases(spec, validators, {
    seed: 1,
    nonce: 'n0nce',
    maxCases: 3,
    operations: [],
    rateLimit: false,
    judged: (draft) => isJudged(checks, draft),
  });
  cases = plan.phases.flatMap((p) => p.cases);
});

/** What tends to break escaping and matching: JSON, XML, regex, URL and pointer syntax, whitespace, non-ASCII. */
const TRICKY = [...'"\\/~&<>%+*.?^$()[]{}|\'` \t:;=@#!é€😀\u2028'];
const NOISE = fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_'.split(''), ...TRICKY), maxLength: 12 });

/**
 * A secret no output contains by chance (`Q7` plus a tricky character), at least 4 characters,
 * trimmed as --header values are; `colon` false for a Basic user name.
 */
const secret = (colon = true): fc.Arbitrary<string> =>
  fc
    .tuple(NOISE, fc.constantFrom(...TRICKY), NOISE)
    .map(([a, tricky, b]) => `${a}Q7${tricky}${b}`.trim())
    .filter((s) => s.length >= 4 && (colon || !s.includes(':')));

type Credentials = { headers: [string, string][]; secrets: string[] };

const credentials: fc.Arbitrary<Credentials> = fc.oneof(
  fc.tuple(secret(false), secret(), secret()).map(([user, password, key]): Credentials => {
    const encoded = Buffer.from(`${user}:${password}`).toString('base64');
    return {
      headers: [
        ['Authorization', `Basic ${encoded}`],
        ['X-Api-Key', key],
      ],
      secrets: [`Basic ${encoded}`, encoded, `${user}:${password}`, password, key],
    };
  }),
  fc.tuple(secret(), secret()).map(
    ([token, key]): Credentials => ({
      headers: [
        ['Authorization', `Bearer ${token}`],
        ['X-Api-Key', key],
      ],
      secrets: [`Bearer ${token}`, token, key],
    }),
  ),
);

/** The ways servers write JSON: as JSON.stringify does, PHP (`\/`, `\uXXXX`), Go (`\u003c`), Python (ASCII, spaces). */
const ENCODERS: ((value: unknown) => string)[] = [
  (value) => JSON.stringify(value),
  (value) =>
    JSON.stringify(value)
      .replace(/\//g, '\\/')
      .replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  (value) => JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  (value) =>
    JSON.stringify(value, null, 1).replace(
      /[^\u0000-\u007f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  encoder: number;
  padding: number;
  error?: string;
  query: string;
}

/** An answer with the secrets placed by the generator: keys and values at any depth, header names and values. */
function answer(secrets: string[]): fc.Arbitrary<Answer> {
  const carrier = fc
    .tuple(NOISE, fc.constantFrom(...secrets), NOISE, fc.boolean())
    .map(([a, s, b, upper]) => `${a}${upper ? s.toUpperCase() : s}${b}`);
  const text = fc.oneof(NOISE, carrier);
  const value = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.integer(),
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(text, tie('node'), { maxKeys: 3 }),
    ),
  })).node;
  return fc.record({
    status: fc.constantFrom(200, 500),
    headers: fc.dictionary(
      text.map((t) => `x-${t}`.toLowerCase()),
      text,
      { maxKeys: 3 },
    ),
    body: fc.record({
      id: fc.oneof(fc.integer(), text),
      name: text,
      attributes: fc.dictionary(text, fc.oneof(text, fc.integer()), { maxKeys: 3 }),
      children: fc.array(fc.record({ id: fc.oneof(fc.integer(), text), name: text, extra: value }), { maxLength: 2 }),
      extra: value,
    }),
    encoder: fc.nat(ENCODERS.length - 1),
    // Moves the secrets across the 200-character cut of a body excerpt.
    padding: fc.nat(220),
    error: fc.option(text, { nil: undefined }),
    query: text,
  });
}

/** A secret as a reader recognises it: as is, JSON- or pointer-escaped, percent-encoded, whitespace collapsed. */
function readable(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [
    ...new Set([
      secret,
      json,
      json.replace(/\//g, '\\/'),
      secret.replace(/~/g, '~0').replace(/\//g, '~1'),
      encodeURIComponent(secret),
      secret.replace(/\s+/g, ' '),
    ]),
  ].map((form) => form.toLowerCase());
}

function leaks(output: string, secrets: readonly string[]): string | undefined {
  const text = output.toLowerCase();
  for (const secret of secrets) {
    for (const form of readable(secret)) if (text.includes(form)) return form;
    // A body excerpt cut just after the start of a secret.
    for (let length = 4; length < secret.length; length++) {
      if (text.includes(`${secret.slice(0, length).toLowerCase()}…`)) return `${secret.slice(0, length)}…`;
    }
  }
  return undefined;
}

const unescapeXml = (xml: string): string =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

test('no secret survives in any output, wherever the server puts it', () => {
  fc.assert(
    fc.property(
      credentials.chain((given) =>
        fc.tuple(fc.constant(given), fc.array(answer(given.secrets), { minLength: 3, maxLength: 3 })),
      ),
      ([{ headers, secrets }, answers]) => {
        const redactor = new Redactor(headers, credentialNames(spec.securitySchemes.values()));
        const results = answers.map((a, i) => {
          const testCase = cases[i % cases.length]!;
          const body = { pad: 'p'.repeat(a.padding), ...(a.body as object) };
          const text = ENCODERS[a.encoder]!(body);
          const request = {
            method: 'GET',
            url: `http://127.0.0.1:1/things?q=${encodeURIComponent(a.query)}`,
            headers: Object.fromEntries(headers.map(([n, v]) => [n.toLowerCase(), v])),
          };
          const exchange: Exchange =
            a.error === undefined
              ? {
                  testCase,
                  request,
                  response: { status: a.status, headers: a.headers, text, json: { value: body } },
                  usesCreatedId: false,
                }
              : {
                  testCase,
                  request,
                  error: { reason: 'other', message: a.error, status: a.status, headers: a.headers },
                  usesCreatedId: false,
                };
          return evaluate(exchange, { spec, validators, checks, strict: false });
        });
        const report = buildReport(
          results,
          { spec, specFile: SPEC_FILE, baseUrl: 'http://127.0.0.1:1', seed: 1, strict: false, recordExchanges: true },
          redactor,
        );
        const outputs = {
          json: renderJson(report),
          har: renderHar([report]),
          junit: unescapeXml(renderJunit(report)),
          summary: renderSummary(report, 0, 3),
        };
        for (const [where, output] of Object.entries(outputs)) {
          const leaked = leaks(where === 'json' || where === 'har' ? jsonStrings(output) : output, secrets);
          expect(leaked, `${JSON.stringify(leaked)} in the ${where} output`).toBeUndefined();
        }
      },
    ),
    { numRuns: 150 },
  );
});

/** Every key and string of a JSON document, decoded, one per line: what the JSON says, not how it escapes it. */
function jsonStrings(text: string): string {
  const found: string[] = [];
  const stack: unknown[] = [JSON.parse(text)];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') found.push(node);
    else if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        found.push(key);
        stack.push(child);
      }
    }
  }
  return found.join('\n');
}
