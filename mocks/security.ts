/**
 * The operation's security requirements checked as Prism checks them: a credential of the right
 * shape must be present (any value is accepted). The credential found is the rate limiter's key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type CredentialSource, credentialOf } from '../lib/security.js';
import type { Operation } from '../lib/spec.js';

export type CredentialCheck = { ok: true; credential: string } | { ok: false; missing: boolean };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function source(headers: IncomingHttpHeaders, query: URLSearchParams): CredentialSource {
  return {
    header: (name) => header(headers, name),
    query: (name) => query.get(name) ?? undefined,
    cookie: (name) => {
      for (const pair of (header(headers, 'cookie') ?? '').split(';')) {
        const eq = pair.indexOf('=');
        if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
      }
      return undefined;
    },
  };
}

export function checkCredentials(
  operation: Operation,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): CredentialCheck {
  if (operation.security.length === 0) return { ok: true, credential: '' };
  const from = source(headers, query);
  // Alternatives are ORed; the schemes inside one alternative are ANDed.
  for (const alternative of operation.security) {
    const credentials = alternative.map((scheme) => credentialOf(scheme, from));
    if (credentials.every((c) => c !== undefined)) return { ok: true, credential: credentials.join(' ') };
  }
  const anyGiven = operation.security.flat().some((scheme) => {
    const raw =
      scheme.in === 'query'
        ? from.query(scheme.parameterName)
        : scheme.in === 'cookie'
          ? from.cookie(scheme.parameterName)
          : from.header(scheme.parameterName);
    return raw !== undefined;
  });
  return { ok: false, missing: !anyGiven };
}
