/**
 * Credentials for the spec's security schemes, made from the scheme alone. Values given with
 * --header win at send time; these only need the right shape (a mock checks presence and shape).
 * Each carries the run's nonce, so a throttle on one of them concerns this run's requests only.
 */
import { credentialHeaders, credentialNames, credentialValue, type SecurityScheme } from '../../lib/security.js';
import type { Operation } from '../../lib/spec.js';

export interface CredentialParts {
  headers: Record<string, string>;
  query: Record<string, string>;
}

function secret(nonce: string, label: string): { token: string; user: string; password: string } {
  return { token: `conformance-${label}-${nonce}`, user: `conformance-${label}`, password: nonce };
}

/** The credentials of a run's rate-limit burst, apart from those of its other requests. */
export const BURST_LABEL = 'burst';

/** Parts that satisfy the operation's first security alternative; `label` tells credentials of one run apart. */
export function credentials(operation: Operation, nonce: string, label = 'run'): CredentialParts {
  const parts: CredentialParts = { headers: {}, query: {} };
  const cookies: string[] = [];
  for (const scheme of operation.security[0] ?? []) {
    const value = credentialValue(scheme, secret(nonce, label));
    if (scheme.in === 'query') parts.query[scheme.parameterName] = value;
    else if (scheme.in === 'cookie') cookies.push(`${scheme.parameterName}=${value}`);
    else parts.headers[scheme.parameterName] = value;
  }
  if (cookies.length > 0) parts.headers.Cookie = cookies.join('; ');
  return parts;
}

/** Header names that carry the operation's credentials (what a "no credentials" case removes). */
export function credentialHeaderNames(operation: Operation): string[] {
  return credentialHeaders(operation.security.flat());
}

export function credentialQueryNames(operation: Operation): string[] {
  return credentialNames(operation.security.flat()).query;
}

const PREFIXES = ['Bearer', 'Basic', 'Digest'] as const;

const WRONG_SCHEME: Record<(typeof PREFIXES)[number], string> = {
  Bearer: 'Bearer wrong-scheme-token',
  Basic: `Basic ${Buffer.from('wrong:scheme').toString('base64')}`,
  Digest: 'Digest username="conformance", realm="api", nonce="0", uri="/", response="0"',
};

/** An Authorization value in a scheme no alternative accepts, or undefined if every scheme is accepted. */
export function wrongSchemeAuthorization(operation: Operation): string | undefined {
  const all = operation.security.flat();
  const schemes: SecurityScheme[] = all.filter((s) => s.in === 'header' && s.prefix);
  if (schemes.length === 0) return undefined;
  const accepted = new Set(schemes.map((s) => s.prefix!.toLowerCase()));
  // An API key sent as the Authorization header takes any value its x-credential pattern allows (any
  // at all without one): a value in another scheme is then still that key's.
  const keys = all.filter((s) => s.kind === 'apiKey' && s.in === 'header' && /^authorization$/i.test(s.parameterName));
  const keyTakes = (value: string) => keys.some((key) => !key.credential || key.credential.pattern.test(value));
  const prefix = PREFIXES.find((p) => !accepted.has(p.toLowerCase()) && !keyTakes(WRONG_SCHEME[p]));
  return prefix === undefined ? undefined : WRONG_SCHEME[prefix];
}

export const requiresAuth = (operation: Operation): boolean =>
  operation.security.length > 0 && operation.security.every((alternative) => alternative.length > 0);

/**
 * Every credential value a run makes for these operations (its own, its burst's, the wrong scheme's):
 * made from the spec and the run's nonce, they open nothing, so outputs show them and a reproduce
 * line can be pasted as it is.
 */
export function madeCredentialValues(operations: readonly Operation[], nonce: string): Set<string> {
  const values = new Set<string>();
  for (const operation of operations) {
    for (const label of [undefined, BURST_LABEL]) {
      const parts = credentials(operation, nonce, label);
      for (const value of [...Object.values(parts.headers), ...Object.values(parts.query)]) values.add(value);
    }
    const wrong = wrongSchemeAuthorization(operation);
    if (wrong !== undefined) values.add(wrong);
  }
  return values;
}

/**
 * Whether a parameter is where the operation's credentials go (a 2.0 document often declares its API
 * key as a parameter too): the run's credentials fill it, and no case writes another value there.
 */
export function carriesCredential(operation: Operation, parameter: { in: string; name: string }): boolean {
  const names = credentialNames(operation.security.flat());
  if (parameter.in === 'query') return names.query.includes(parameter.name);
  if (parameter.in === 'cookie') return names.cookies.includes(parameter.name);
  return parameter.in === 'header' && names.headers.includes(parameter.name.toLowerCase());
}
