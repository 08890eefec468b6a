/**
 * Keeps secrets out of every output, wherever a server puts them. A header is secret by its name
 * (Authorization, Cookie, API keys, tokens, passwords, sessions, signatures) or when the spec's
 * security schemes name it: its value is masked whatever its length (`Authorization: Bearer ***`).
 * The secret values given with --header, and for Basic credentials the decoded `user:password` and
 * the password alone, are masked inside any text, JSON key or header name too (a server may echo
 * them anywhere), but only values of at least 4 characters: a shorter one would mask random text.
 */
import { isObject } from '../lib/json.js';
import type { CredentialNames } from '../lib/security.js';

const MASK = '***';
/** Shorter values are masked in headers only: in free text they would hit unrelated characters. */
const MIN_TEXT_SECRET = 4;

/** Header names that carry secrets by convention; `access-control-*` and the like name none. */
const SECRET_NAME =
  /(^|[-_.])(authorization|cookie|token|secret|password|passwd|session|signature|api[-_]?key|key|auth|credentials?)($|[-_.])/i;
const NEVER_SECRET = /^(access-control-|content-|cache-|x-ratelimit-|ratelimit-|retry-after$|vary$|date$|etag$)/i;

/** `Bearer abc` -> `Bearer ***`; values without a scheme become `***`. */
export function maskValue(value: string): string {
  const match = /^([A-Za-z][A-Za-z0-9._-]*)\s+\S/.exec(value);
  return match ? `${match[1]} ${MASK}` : MASK;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a Basic credential reveals once decoded: `user:password` and the password. */
function basicParts(value: string): string[] {
  const match = /^basic\s+([A-Za-z0-9+/=._-]+)\s*$/i.exec(value);
  if (!match) return [];
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? [decoded] : [decoded, decoded.slice(colon + 1), decoded.slice(0, colon)];
}

export class Redactor {
  private readonly secrets: string[];
  private readonly secretHeaders: Set<string>;
  /** `name=value` pairs of apiKey query parameters and cookies, wherever they appear. */
  private readonly pairs: RegExp | undefined;
  private readonly pattern: RegExp | undefined;

  /** `given` are the --header pairs: their secret values are masked in all text. */
  constructor(
    given: readonly (readonly [string, string])[],
    names: CredentialNames = { headers: [], query: [], cookies: [] },
  ) {
    this.secretHeaders = new Set(names.headers.map((n) => n.toLowerCase()));
    const values = new Set<string>();
    for (const [name, value] of given) {
      if (!this.isSecretName(name)) continue;
      values.add(value);
      values.add(value.replace(/^[A-Za-z][A-Za-z0-9._-]*\s+/, ''));
      for (const part of basicParts(value)) values.add(part);
      // A given Cookie header: each cookie's value too.
      if (/^cookie$/i.test(name))
        for (const part of value.split(';')) values.add(part.slice(part.indexOf('=') + 1).trim());
    }
    // Longest first, so a whole header value is masked before the credential inside it.
    this.secrets = [...values].filter((v) => v.length >= MIN_TEXT_SECRET).sort((a, b) => b.length - a.length);
    this.pattern = this.secrets.length > 0 ? new RegExp(this.secrets.map(escapeRegExp).join('|'), 'g') : undefined;
    const pairNames = [...names.query, ...names.cookies];
    this.pairs =
      pairNames.length > 0
        ? new RegExp(`(^|[?&;\\s])(${pairNames.map(escapeRegExp).join('|')})=[^&#;\\s'"]*`, 'g')
        : undefined;
  }

  private isSecretName(name: string): boolean {
    if (this.secretHeaders.has(name.toLowerCase())) return true;
    return SECRET_NAME.test(name) && !NEVER_SECRET.test(name);
  }

  text(input: string): string {
    let out = this.pattern ? input.replace(this.pattern, MASK) : input;
    if (this.pairs) out = out.replace(this.pairs, `$1$2=${MASK}`);
    return out;
  }

  /** Names are text too: a server may echo a secret as a header name. */
  headers(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[this.text(name)] = this.isSecretName(name) ? maskValue(value) : this.text(value);
    }
    return out;
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
