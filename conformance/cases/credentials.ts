/**
 * Credentials for the spec's security schemes. Values given with --header win at send time; these
 * generated ones only need the right shape (a mock checks presence and shape, not validity).
 */
import type { Operation, SecurityScheme } from '../../lib/spec.js';

export interface CredentialParts {
  headers: Record<string, string>;
  query: Record<string, string>;
}

const SCHEMES = ['Bearer', 'Basic', 'Digest'] as const;

function value(scheme: SecurityScheme, seed: number): string {
  switch (scheme.kind) {
    case 'bearer':
      return `Bearer conformance-${seed.toString(16)}-token`;
    case 'basic':
      return `Basic ${Buffer.from('conformance\\runner:not-a-real-password').toString('base64')}`;
    default:
      return `conformance-${seed.toString(16)}-key`;
  }
}

/** Parts that satisfy the operation's first security alternative. */
export function credentials(operation: Operation, seed: number): CredentialParts {
  const parts: CredentialParts = { headers: {}, query: {} };
  for (const scheme of operation.security[0] ?? []) {
    if (scheme.kind === 'bearer' || scheme.kind === 'basic') parts.headers.Authorization = value(scheme, seed);
    else if (scheme.kind === 'apiKey' && scheme.parameterName) {
      if (scheme.in === 'query') parts.query[scheme.parameterName] = value(scheme, seed);
      else if (scheme.in === 'cookie') parts.headers.Cookie = `${scheme.parameterName}=${value(scheme, seed)}`;
      else parts.headers[scheme.parameterName] = value(scheme, seed);
    }
  }
  return parts;
}

/** Header names that carry the operation's credentials (what a "no credentials" case removes). */
export function credentialHeaderNames(operation: Operation): string[] {
  const names = new Set<string>();
  for (const scheme of operation.security.flat()) {
    if (scheme.kind === 'bearer' || scheme.kind === 'basic') names.add('Authorization');
    else if (scheme.kind === 'apiKey' && scheme.in === 'header' && scheme.parameterName)
      names.add(scheme.parameterName);
    else if (scheme.kind === 'apiKey' && scheme.in === 'cookie') names.add('Cookie');
  }
  return [...names];
}

/** An Authorization value in a scheme no alternative accepts, or undefined if every scheme is accepted. */
export function wrongSchemeAuthorization(operation: Operation): string | undefined {
  const accepted = new Set<string>(
    operation.security.flat().map((s) => (s.kind === 'bearer' ? 'Bearer' : s.kind === 'basic' ? 'Basic' : '')),
  );
  if (!accepted.has('Bearer') && !accepted.has('Basic')) return undefined;
  const scheme = SCHEMES.find((s) => !accepted.has(s));
  if (scheme === 'Basic') return `Basic ${Buffer.from('wrong:scheme').toString('base64')}`;
  if (scheme === 'Bearer') return 'Bearer wrong-scheme-token';
  return 'Digest username="conformance", realm="api", nonce="0", uri="/", response="0"';
}

export const requiresAuth = (operation: Operation): boolean =>
  operation.security.length > 0 && operation.security.every((alternative) => alternative.length > 0);
