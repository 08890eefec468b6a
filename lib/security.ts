/**
 * Where each security scheme's credential travels, read once: the mock's authentication and rate
 * limit keys, the runner's generated credentials and its "no credentials" cases, and redaction all
 * use this table instead of their own reading of the scheme.
 */
import { isObject, type JsonObject } from './json.js';
import type { JsonSchema } from './json-schema.js';
import { readParameter, type WireSource } from './wire.js';

export type CredentialLocation = 'header' | 'query' | 'cookie';

export interface SecurityScheme {
  name: string;
  /** `bearer` for http bearer, oauth2 and openIdConnect; `basic`; an API key; `other` http schemes. */
  kind: 'bearer' | 'basic' | 'apiKey' | 'other';
  in: CredentialLocation;
  /** The header, query parameter or cookie name: `Authorization` unless an API key names its own. */
  parameterName: string;
  /** The Authorization scheme word (`Bearer`, `Basic`, `Digest`...), for http-style schemes. */
  prefix?: string;
}

export function readSecurityScheme(name: string, raw: unknown): SecurityScheme {
  const scheme: JsonObject = isObject(raw) ? raw : {};
  const httpScheme = typeof scheme.scheme === 'string' ? scheme.scheme : '';
  if (scheme.type === 'apiKey') {
    const location = scheme.in === 'query' || scheme.in === 'cookie' ? scheme.in : 'header';
    return { name, kind: 'apiKey', in: location, parameterName: String(scheme.name ?? name) };
  }
  if (scheme.type === 'http' && httpScheme.toLowerCase() === 'basic') {
    return { name, kind: 'basic', in: 'header', parameterName: 'Authorization', prefix: 'Basic' };
  }
  if (
    (scheme.type === 'http' && httpScheme.toLowerCase() === 'bearer') ||
    scheme.type === 'oauth2' ||
    scheme.type === 'openIdConnect'
  ) {
    return { name, kind: 'bearer', in: 'header', parameterName: 'Authorization', prefix: 'Bearer' };
  }
  const prefix =
    scheme.type === 'http' && httpScheme !== '' ? httpScheme[0]!.toUpperCase() + httpScheme.slice(1) : undefined;
  return { name, kind: 'other', in: 'header', parameterName: 'Authorization', ...(prefix ? { prefix } : {}) };
}

const TEXT: JsonSchema = { type: 'string' };

/**
 * What a request carries where the scheme's credential travels, whatever its shape (`''` when the
 * header, parameter or cookie is there but empty): read as a string parameter at that place, by the
 * same wire rules as any parameter the spec declares there.
 */
export function presentedCredential(scheme: SecurityScheme, request: WireSource): string | undefined {
  const read = readParameter({ name: scheme.parameterName, in: scheme.in, schema: TEXT }, request);
  if (!read.present) return undefined;
  return typeof read.value === 'string' ? read.value : String(read.value ?? '');
}

/** The scheme's credential in a request, when it has the scheme's shape (any value is accepted). */
export function credentialOf(scheme: SecurityScheme, request: WireSource): string | undefined {
  const value = presentedCredential(scheme, request);
  if (value === undefined || value === '') return undefined;
  if (scheme.prefix === undefined) return value;
  const match = /^(\S+)\s+\S/.exec(value);
  return match && match[1]!.toLowerCase() === scheme.prefix.toLowerCase() ? value : undefined;
}

/** The value a credential takes on the wire: `Bearer <token>`, `Basic base64(user:password)`, or the key. */
export function credentialValue(
  scheme: SecurityScheme,
  secret: { token: string; user: string; password: string },
): string {
  if (scheme.kind === 'basic') return `Basic ${Buffer.from(`${secret.user}:${secret.password}`).toString('base64')}`;
  if (scheme.prefix !== undefined) return `${scheme.prefix} ${secret.token}`;
  return secret.token;
}

/** The names that carry credentials under the given schemes, by location (header names lower-cased). */
export interface CredentialNames {
  headers: string[];
  query: string[];
  cookies: string[];
}

export function credentialNames(schemes: Iterable<SecurityScheme>): CredentialNames {
  const names: CredentialNames = { headers: [], query: [], cookies: [] };
  for (const scheme of schemes) {
    const list = scheme.in === 'query' ? names.query : scheme.in === 'cookie' ? names.cookies : names.headers;
    const name = scheme.in === 'header' ? scheme.parameterName.toLowerCase() : scheme.parameterName;
    if (!list.includes(name)) list.push(name);
  }
  return names;
}

/** The request headers credentials travel in under the given schemes: their own names, and `cookie` for cookies. */
export function credentialHeaders(schemes: Iterable<SecurityScheme>): string[] {
  const names = credentialNames(schemes);
  return [...names.headers, ...(names.cookies.length > 0 ? ['cookie'] : [])];
}
