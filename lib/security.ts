/**
 * Where each security scheme's credential travels, read once: the mock's authentication and rate
 * limit keys, the runner's generated credentials and its "no credentials" cases, and redaction all
 * use this table instead of their own reading of the scheme.
 */
import { type CredentialExtension, readCredential } from './extensions.js';
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
  /** What the vendor says a credential looks like (`x-credential`). */
  credential?: CredentialExtension;
}

export function readSecurityScheme(name: string, raw: unknown): SecurityScheme {
  const scheme: JsonObject = isObject(raw) ? raw : {};
  const credential = readCredential(scheme['x-credential'], `security scheme ${name}`);
  const read = readScheme(name, scheme);
  return credential ? { ...read, credential } : read;
}

function readScheme(name: string, scheme: JsonObject): SecurityScheme {
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

/**
 * The scheme's credential in a request, when it has the scheme's shape and, where the vendor says
 * what a credential looks like (`x-credential`), that look; any such value is accepted.
 */
export function credentialOf(scheme: SecurityScheme, request: WireSource): string | undefined {
  const value = presentedCredential(scheme, request);
  if (value === undefined || value === '') return undefined;
  if (scheme.prefix === undefined) return looksRight(scheme, value) ? value : undefined;
  const match = /^(\S+)\s+(\S.*)$/.exec(value);
  if (!match || match[1]!.toLowerCase() !== scheme.prefix.toLowerCase()) return undefined;
  const token = match[2]!.trim();
  return looksRight(scheme, scheme.kind === 'basic' ? Buffer.from(token, 'base64').toString('utf8') : token)
    ? value
    : undefined;
}

const looksRight = (scheme: SecurityScheme, credential: string): boolean =>
  scheme.credential === undefined || scheme.credential.pattern.test(credential);

/**
 * The value a credential takes on the wire: `Bearer <token>`, `Basic base64(user:password)`, or the
 * key. Where the vendor says what a credential looks like, one that does not is the scheme's example
 * instead (a Basic one keeps the example's user and takes the given password when that still fits).
 */
export function credentialValue(
  scheme: SecurityScheme,
  secret: { token: string; user: string; password: string },
): string {
  const look = scheme.credential;
  if (scheme.kind === 'basic') {
    let pair = `${secret.user}:${secret.password}`;
    if (look && !look.pattern.test(pair)) {
      const colon = look.example.indexOf(':');
      const user = colon === -1 ? look.example : look.example.slice(0, colon);
      pair = look.pattern.test(`${user}:${secret.password}`) ? `${user}:${secret.password}` : look.example;
    }
    return `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  const token = look && !look.pattern.test(secret.token) ? look.example : secret.token;
  return scheme.prefix !== undefined ? `${scheme.prefix} ${token}` : token;
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
