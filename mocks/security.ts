/**
 * The operation's security requirements checked as Prism checks them: a credential of the right
 * shape must be present (any value is accepted). The credential found is the rate limiter's key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { credentialOf, presentedCredential } from '../lib/security.js';
import type { Operation } from '../lib/spec.js';

export type CredentialCheck = { ok: true; credential: string } | { ok: false; missing: boolean };

export function checkCredentials(
  operation: Operation,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): CredentialCheck {
  if (operation.security.length === 0) return { ok: true, credential: '' };
  const request = { headers, query };
  // Alternatives are ORed; the schemes inside one alternative are ANDed.
  for (const alternative of operation.security) {
    const credentials = alternative.map((scheme) => credentialOf(scheme, request));
    if (credentials.every((c) => c !== undefined)) return { ok: true, credential: credentials.join(' ') };
  }
  const anyGiven = operation.security.flat().some((scheme) => presentedCredential(scheme, request) !== undefined);
  return { ok: false, missing: !anyGiven };
}
