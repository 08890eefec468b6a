/**
 * Keeps secrets out of every output. A header is secret when its name suggests one (token, key,
 * secret, cookie, password, session, credential, auth, signature) or when the spec's apiKey security
 * schemes name it: its value is masked whatever its length (`Authorization: Bearer ***`). The
 * secret values given with --header are also masked inside any text (a server may echo a token in
 * a body), but only values of at least 4 characters: a shorter one would mask random text. Query
 * parameters the spec's apiKey schemes name are masked in every URL.
 */
import type { Spec } from '../lib/spec.js';

const SECRET_NAME = /token|key|secret|cookie|password|session|credential|auth|signature/i;
const MASK = '***';
/** Shorter values are masked in headers only: in free text they would hit unrelated characters. */
const MIN_TEXT_SECRET = 4;

/** `Bearer abc` -> `Bearer ***`; values without a scheme become `***`. */
export function maskValue(value: string): string {
  const match = /^([A-Za-z][A-Za-z0-9._-]*)\s+\S/.exec(value);
  return match ? `${match[1]} ${MASK}` : MASK;
}

/** Names the spec's apiKey security schemes use: headers (lower-case), query parameters, cookies. */
export interface SecretNames {
  headers: string[];
  query: string[];
  cookies: string[];
}

export function specSecretNames(spec: Pick<Spec, 'operations'>): SecretNames {
  const names: SecretNames = { headers: [], query: [], cookies: [] };
  for (const scheme of spec.operations.flatMap((op) => op.security.flat())) {
    if (scheme.kind !== 'apiKey' || !scheme.parameterName) continue;
    const list = scheme.in === 'query' ? names.query : scheme.in === 'cookie' ? names.cookies : names.headers;
    const name = scheme.in === 'header' ? scheme.parameterName.toLowerCase() : scheme.parameterName;
    if (!list.includes(name)) list.push(name);
  }
  return names;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  private readonly secrets: string[];
  private readonly secretHeaders: Set<string>;
  /** `name=value` pairs of apiKey query parameters and cookies, wherever they appear. */
  private readonly pairs: RegExp | undefined;

  /** `given` are the --header pairs: their secret values are masked in all text. */
  constructor(given: [string, string][], names: SecretNames = { headers: [], query: [], cookies: [] }) {
    this.secretHeaders = new Set(names.headers);
    const values = new Set<string>();
    for (const [name, value] of given) {
      if (!this.isSecret(name)) continue;
      values.add(value);
      const credential = value.replace(/^[A-Za-z][A-Za-z0-9._-]*\s+/, '');
      values.add(credential);
      // A given Cookie header: each cookie's value too.
      if (/^cookie$/i.test(name))
        for (const part of value.split(';')) values.add(part.slice(part.indexOf('=') + 1).trim());
    }
    // Longest first, so a whole header value is masked before the credential inside it.
    this.secrets = [...values].filter((v) => v.length >= MIN_TEXT_SECRET).sort((a, b) => b.length - a.length);
    const pairNames = [...names.query, ...names.cookies];
    this.pairs =
      pairNames.length > 0
        ? new RegExp(`(^|[?&;\\s])(${pairNames.map(escapeRegExp).join('|')})=[^&#;\\s'"]*`, 'g')
        : undefined;
  }

  private isSecret(name: string): boolean {
    return SECRET_NAME.test(name) || this.secretHeaders.has(name.toLowerCase());
  }

  text(input: string): string {
    let out = input;
    for (const secret of this.secrets) out = out.split(secret).join(MASK);
    if (this.pairs) out = out.replace(this.pairs, `$1$2=${MASK}`);
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, this.isSecret(name) ? maskValue(value) : this.text(value)]),
    );
  }

  /** Any JSON value, with secrets masked in every string. */
  value(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((item) => this.value(item));
    if (input && typeof input === 'object')
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.value(v)]));
    return input;
  }
}
