/**
 * Keeps secrets out of every output, wherever a server puts them. A header is secret by its name (a
 * secret word anywhere in it: Authorization, AccessToken, X-Api-Key, Cookie, X-Session-Id...) or
 * when the spec's security schemes name it: its value is masked whatever its length
 * (`Authorization: Bearer ***`). The secret values given with --header, and for Basic credentials
 * the decoded `user:password` and the password alone, are masked inside any text, JSON key or header
 * name too (a server may echo them anywhere), but only values of at least 4 characters: a shorter
 * one would mask random text. So are the values given for query and cookie API keys, whatever their
 * names, and in a URL or Cookie header they are masked whole as any apiKey pair is (`?api_key=***`). The credentials a run makes up itself (from the spec and the run's
 * nonce, when --header gives none) open nothing: they are shown, so a reproduce line works as pasted.
 *
 * Text reaches the redactor after other hands had it: undici lower-cases header names, JSON encoders
 * escape (`\/`, `\u00e9`, `\u003c`), JSON pointers in AJV errors escape `~` and `/`, URLs
 * percent-encode, HTML escapes (`&amp;`, `&#39;`), servers base64-encode what they echo, and body
 * excerpts collapse whitespace and end cut with `…`. So a secret is matched in any letter case, with
 * any run of whitespace for its own, in each of those encodings, and a cut excerpt's last characters
 * are masked when they begin a secret. Occurrences that overlap are masked together, so masking one
 * secret never leaves part of another standing.
 */
import { isObject } from '../lib/json.js';
import { escapeToken } from '../lib/json-pointer.js';
import { escapeRegExp } from '../lib/regexp.js';
import type { CredentialNames } from '../lib/security.js';

const MASK = '***';
/** Shorter values are masked in headers only: in free text they would hit unrelated characters. */
const MIN_TEXT_SECRET = 4;

/**
 * Header names that carry secrets by convention, the word anywhere in the name: a name need not
 * separate it (`AccessToken`, `X-AuthToken`), and masking a harmless header costs less than showing
 * a secret one.
 */
const SECRET_NAME = /auth|token|key|secret|passw(?:or)?d|session|cookie|credential|signature/i;
/** Names with one of those words but no secret: CORS, caching, rate limits, the server's auth challenge. */
const NEVER_SECRET =
  /^(access-control-|content-|cache-|x-ratelimit-|ratelimit-|retry-after$|vary$|date$|etag$|(www|proxy)-authenticate$)/i;

/** `Bearer abc` -> `Bearer ***`; values without a scheme become `***`. */
export function maskValue(value: string): string {
  const match = /^([A-Za-z][A-Za-z0-9._-]*)\s+\S/.exec(value);
  return match ? `${match[1]} ${MASK}` : MASK;
}

/**
 * A URL as it may be shown: the userinfo, every query value and the fragment masked. A base URL is
 * echoed in refusals, and tokens travel in queries (`?access_token=...`) as often as in userinfo.
 * Works on text that is not a URL at all, since an unparsable one is quoted too.
 */
export function maskedUrl(raw: string): string {
  // One that does not parse may hold a password with '/', '?' or '#' in it: all up to its last '@' goes.
  const text = URL.canParse(raw) ? raw : raw.replace(/^([a-z][\w+.-]*:\/\/).*@/is, `$1${MASK}@`);
  const hash = text.indexOf('#');
  const beforeHash = hash === -1 ? text : text.slice(0, hash);
  const question = beforeHash.indexOf('?');
  const base = (question === -1 ? beforeHash : beforeHash.slice(0, question)).replace(/\/\/[^/@]*@/, `//${MASK}@`);
  const query =
    question === -1
      ? ''
      : `?${beforeHash
          .slice(question + 1)
          .split('&')
          .map((pair) => (pair === '' ? '' : pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${MASK}` : MASK))
          .join('&')}`;
  return `${base}${query}${hash === -1 ? '' : `#${MASK}`}`;
}

/** Where a cut excerpt ends (see checks/support.ts). */
const CUT = '…';

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The characters HTML escapes, each with the entity written for it in the canonical HTML form. */
const HTML_ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const HTML_NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** One of those characters in a pattern's source, raw or as any entity for it (named, decimal, hex). */
const HTML_CHAR = /&(amp|lt|gt|quot|apos|#0*(?:38|60|62|34|39)|#x0*(?:26|3c|3e|22|27));|[&<>"']/gi;

/**
 * A pattern source that finds the text whether a server escaped its HTML characters or not, and
 * whichever entity it chose for each: escapers differ (`&#39;`, `&#x27;`, `&apos;`) and some leave
 * quotes alone.
 */
function htmlAgnostic(source: string): string {
  return source.replace(HTML_CHAR, (match, entity: string | undefined) => {
    let char = match;
    if (entity !== undefined) {
      const name = entity.toLowerCase();
      char =
        HTML_NAMED[name] ?? String.fromCharCode(Number.parseInt(name.replace(/^#x?/, ''), name[1] === 'x' ? 16 : 10));
    }
    const code = char.charCodeAt(0);
    const named = Object.entries(HTML_NAMED)
      .filter(([, c]) => c === char)
      .map(([n]) => `${n};`);
    return `(?:${escapeRegExp(char)}|&(?:${[...named, `#0*${code};`, `#x0*${code.toString(16)};`].join('|')}))`;
  });
}

/**
 * The base64 of a secret inside a longer text (a header echoed in an encoded JSON trace), at each
 * of the three byte alignments: the characters that encode only the secret's bytes, in both
 * alphabets. Too short a part says nothing and is left.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const core = encoded.slice(shift === 0 ? 0 : 4, Math.floor((shift + bytes.length) / 3) * 4);
    if (core.length >= MIN_BASE64_CORE) cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

const MIN_BASE64_CORE = 8;

/** A secret as JSON encoders, JSON pointers, URL encoding, HTML escaping and base64 write it. */
function encodings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const slashed = json.replace(/\//g, '\\/');
  const ascii = (text: string): string => text.replace(/[^\u0000-\u007f]/g, unicodeEscape);
  const percent = encodeURIComponent(secret);
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const base64url = Buffer.from(secret, 'utf8').toString('base64url');
  return [
    secret,
    json,
    slashed,
    ascii(json),
    ascii(slashed),
    json.replace(/[<>&\u2028\u2029]/g, unicodeEscape),
    escapeToken(secret),
    percent,
    percent.replace(/%20/g, '+'),
    secret.replace(/[&<>"']/g, (c) => HTML_ENTITY[c]!),
    // Padded or not (encoders of tokens drop it), and as JSON and URLs carry it.
    base64,
    base64.replace(/=+$/, ''),
    base64.replace(/\//g, '\\/'),
    encodeURIComponent(base64),
    base64url,
    ...base64Cores(secret),
  ];
}

/** What a Basic credential reveals once decoded: `user:password` and the password. */
function basicParts(value: string): string[] {
  const match = /^basic\s+([A-Za-z0-9+/=._-]+)\s*$/i.exec(value);
  if (!match) return [];
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? [decoded] : [decoded, decoded.slice(colon + 1), decoded.slice(0, colon)];
}

/** A query value as its parameter holds it (as it is when it is no valid percent-encoding). */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export class Redactor {
  /** One per encoding of each secret, searched one at a time so that overlapping occurrences are all found. */
  private readonly patterns: RegExp[];
  /** Any of them, to pass over the usual text with one search. */
  private readonly any: RegExp | undefined;
  /** Each encoding with its whitespace collapsed, lower-cased: what a cut excerpt may end with. */
  private readonly cutForms: string[];
  private readonly secretHeaders: Set<string>;
  /** `name=value` pairs of apiKey query parameters and cookies, wherever they appear. */
  private readonly pairs: RegExp | undefined;
  private readonly made: ReadonlySet<string>;
  /** Every given secret value and part, of any length: one a made value equals is not shown either. */
  private readonly given: ReadonlySet<string>;

  /**
   * `given` are the --header pairs: their secret values are masked in all text. `made` are the
   * credentials the run made up itself: shown where they stand whole, as a header's or a query
   * parameter's value, unless they hold a given secret. `keys` are the values given for query and
   * cookie API keys: secret whatever their name.
   */
  constructor(
    given: readonly (readonly [string, string])[],
    names: CredentialNames = { headers: [], query: [], cookies: [] },
    made: Iterable<string> = [],
    keys: Iterable<string> = [],
  ) {
    this.made = new Set(made);
    this.secretHeaders = new Set(names.headers.map((n) => n.toLowerCase()));
    const values = new Set<string>(keys);
    for (const [name, value] of given) {
      if (!this.isSecretName(name)) continue;
      values.add(value);
      values.add(value.replace(/^[A-Za-z][A-Za-z0-9._-]*\s+/, ''));
      for (const part of basicParts(value)) values.add(part);
      // A given Cookie header: each cookie's value too.
      if (/^cookie$/i.test(name)) for (const part of value.split(';')) values.add(part.slice(part.indexOf('=') + 1));
    }
    this.given = values;
    const forms = new Set<string>();
    for (const value of values) {
      const secret = value.trim();
      if (secret.length >= MIN_TEXT_SECRET) for (const form of encodings(secret)) forms.add(form);
    }
    const sources = [...new Set([...forms].map((form) => htmlAgnostic(escapeRegExp(form).replace(/\s+/g, '\\s+'))))];
    this.patterns = sources.map((source) => new RegExp(source, 'gi'));
    this.any = sources.length > 0 ? new RegExp(sources.join('|'), 'i') : undefined;
    this.cutForms = [...forms].map((form) => form.replace(/\s+/g, ' ').toLowerCase());
    const pairNames = [...names.query, ...names.cookies];
    this.pairs =
      pairNames.length > 0
        ? new RegExp(`(^|[?&;\\s])(${pairNames.map(escapeRegExp).join('|')})=([^&#;\\s'"]*)`, 'g')
        : undefined;
  }

  private isSecretName(name: string): boolean {
    if (this.secretHeaders.has(name.toLowerCase())) return true;
    return SECRET_NAME.test(name) && !NEVER_SECRET.test(name);
  }

  text(input: string): string {
    let out = this.any?.test(input) ? this.maskAll(input) : input;
    if (out.endsWith(CUT)) out = this.maskCut(out);
    if (this.pairs)
      out = out.replace(this.pairs, (pair: string, before: string, name: string, value: string) =>
        this.isMade(value) || this.isMade(decoded(value)) ? pair : `${before}${name}=${MASK}`,
      );
    return out;
  }

  private isMade(value: string): boolean {
    return this.made.has(value) && !this.given.has(value) && !this.any?.test(value);
  }

  /** Every occurrence of every secret, overlapping ones merged into one mask. */
  private maskAll(input: string): string {
    const spans: [number, number][] = [];
    for (const pattern of this.patterns) {
      pattern.lastIndex = 0;
      for (let match = pattern.exec(input); match !== null; match = pattern.exec(input)) {
        spans.push([match.index, match.index + match[0].length]);
        pattern.lastIndex = match.index + 1;
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    let out = '';
    let from = 0;
    for (let i = 0; i < spans.length; ) {
      const start = spans[i]![0];
      let end = spans[i]![1];
      for (i++; i < spans.length && spans[i]![0] <= end; i++) end = Math.max(end, spans[i]![1]);
      out += `${input.slice(from, start)}${MASK}`;
      from = end;
    }
    return out + input.slice(from);
  }

  /** `… Pa55-w…`: the longest start of a secret (at least MIN_TEXT_SECRET characters) just before the cut. */
  private maskCut(text: string): string {
    const before = text.slice(0, -CUT.length);
    const tail = before.slice(-Math.max(0, ...this.cutForms.map((f) => f.length))).toLowerCase();
    let longest = 0;
    for (const form of this.cutForms) {
      for (let length = Math.min(form.length - 1, tail.length); length > longest; length--) {
        if (length >= MIN_TEXT_SECRET && tail.endsWith(form.slice(0, length))) longest = length;
      }
    }
    return longest === 0 ? text : `${before.slice(0, -longest)}${MASK}${CUT}`;
  }

  /** Names are text too: a server may echo a secret as a header name. */
  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[this.text(name)] =
        this.isSecretName(name) && !this.isMade(value) ? this.maskHeader(name, value) : this.text(value);
    }
    return out;
  }

  private maskHeader(name: string, value: string): string {
    // Only an Authorization header's first word is a scheme worth showing; any other value is secret whole.
    const masked = /^(proxy-)?authorization$/i.test(name) ? maskValue(value) : MASK;
    // A scheme that spells the start of a secret (a value `Q7 *` shown as `Q7 ***`) is not shown either.
    return masked !== MASK && this.any?.test(masked) ? MASK : masked;
  }

  /**
   * Any JSON value, with secrets masked in every string and every key, at any depth. Walked with an
   * explicit stack: a body nested thousands of levels deep must not overflow the call stack.
   */
  value(input: unknown): unknown {
    const root: { value: unknown } = { value: undefined };
    const stack: { from: unknown; into: Record<string, unknown> | unknown[]; key: string | number }[] = [
      { from: input, into: root as unknown as Record<string, unknown>, key: 'value' },
    ];
    while (stack.length > 0) {
      const { from, into, key } = stack.pop()!;
      let copy: unknown;
      if (typeof from === 'string') copy = this.text(from);
      else if (Array.isArray(from)) {
        const items: unknown[] = new Array(from.length);
        for (let i = from.length - 1; i >= 0; i--) stack.push({ from: from[i], into: items, key: i });
        copy = items;
      } else if (isObject(from)) {
        const object: Record<string, unknown> = {};
        const entries = Object.entries(from);
        for (let i = entries.length - 1; i >= 0; i--) {
          stack.push({ from: entries[i]![1], into: object, key: this.text(entries[i]![0]) });
        }
        copy = object;
      } else copy = from;
      if (Array.isArray(into)) into[key as number] = copy;
      else Object.defineProperty(into, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
    return root.value;
  }
}
