/**
 * The operation's security requirements checked as Prism checks them: a credential of the right
 * shape must be present (any value is accepted). The credential found is the rate limiter's key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Operation, SecurityScheme } from '../lib/spec.js';

export type CredentialCheck = { ok: true; credential: string } | { ok: false; missing: boolean };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function credentialFor(
  scheme: SecurityScheme,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): string | undefined {
  const authorization = header(headers, 'authorization');
  switch (scheme.kind) {
    case 'bearer':
      return authorization && /^bearer\s+\S/i.test(authorization) ? authorization : undefined;
    case 'basic':
      return authorization && /^basic\s+\S/i.test(authorization) ? authorization : undefined;
    case 'apiKey': {
      const name = scheme.parameterName ?? '';
      if (scheme.in === 'query') return query.get(name) ?? undefined;
      if (scheme.in === 'cookie')
        return header(headers, 'cookie')
          ?.split(';')
          .map((c) => c.trim())
          .find((c) => c.startsWith(`${name}=`));
      return header(headers, name);
    }
    case 'other':
      return authorization;
  }
}

export function checkCredentials(
  operation: Operation,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): CredentialCheck {
  if (operation.security.length === 0) return { ok: true, credential: '' };
  // Alternatives are ORed; the schemes inside one alternative are ANDed.
  for (const alternative of operation.security) {
    const credentials = alternative.map((scheme) => credentialFor(scheme, headers, query));
    if (credentials.every((c) => c !== undefined)) return { ok: true, credential: credentials.join(' ') };
  }
  return { ok: false, missing: header(headers, 'authorization') === undefined };
}
