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

/** An Authorization value in a scheme no alternative accepts, or undefined if every scheme is accepted. */
export function wrongSchemeAuthorization(operation: Operation): string | undefined {
  const schemes: SecurityScheme[] = operation.security.flat().filter((s) => s.in === 'header' && s.prefix);
  if (schemes.length === 0) return undefined;
  const accepted = new Set(schemes.map((s) => s.prefix!.toLowerCase()));
  const prefix = PREFIXES.find((p) => !accepted.has(p.toLowerCase()));
  if (prefix === 'Basic') return `Basic ${Buffer.from('wrong:scheme').toString('base64')}`;
  if (prefix === 'Bearer') return 'Bearer wrong-scheme-token';
  if (prefix === 'Digest') return 'Digest username="conformance", realm="api", nonce="0", uri="/", response="0"';
  return undefined;
}

export const requiresAuth = (operation: Operation): boolean =>
  operation.security.length > 0 && operation.security.every((alternative) => alternative.length > 0);
