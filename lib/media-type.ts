/**
 * Media types as specs document them (`content` keys, ranges included) and as messages carry them
 * (`Content-Type` values, parameters included). The one implementation the mock and the runner share.
 *
 * - essence: the lower-cased `type/subtype`, without parameters (`Application/JSON; charset=UTF-8`
 *   -> `application/json`);
 * - JSON: `application/json` or any `type/subtype+json` (`application/problem+json`,
 *   `application/vnd.api+json`, `text/x.custom+json`);
 * - a documented range covers a media type when it is the same essence, `type/*` of the same type,
 *   or `*\/*` (which covers anything, even a message without a media type).
 */

export interface ParsedMediaType {
  /** Lower case, e.g. `application`. */
  readonly type: string;
  /** Lower case, e.g. `problem+json`; `*` in a range. */
  readonly subtype: string;
  /** `type/subtype`. */
  readonly essence: string;
}

/** RFC 9110 tokens: the characters a type or subtype may have (`*` included, for ranges). */
const MEDIA_TYPE = /^([!#$%&'*+.^_`|~0-9a-z-]+)\/([!#$%&'*+.^_`|~0-9a-z-]+)$/;

/**
 * Parsing is a split and a lower-casing; a small memo saves even that for the few values a spec and
 * a server use over and over. It is emptied when full, so values from the wire cannot grow it.
 */
const MEMO_SIZE = 256;
const memo = new Map<string, ParsedMediaType | null>();

/** `application/json; charset=utf-8` -> `{ type: 'application', subtype: 'json', ... }`; undefined when it is not `type/subtype`. */
export function parseMediaType(value: string | undefined): ParsedMediaType | undefined {
  if (value === undefined) return undefined;
  let parsed = memo.get(value);
  if (parsed === undefined) {
    const match = MEDIA_TYPE.exec(value.split(';', 1)[0]!.trim().toLowerCase());
    parsed = match ? { type: match[1]!, subtype: match[2]!, essence: `${match[1]}/${match[2]}` } : null;
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(value, parsed);
  }
  return parsed ?? undefined;
}

/**
 * The lower-cased `type/subtype` without parameters; `''` for a missing value. A value that is not
 * `type/subtype` is returned trimmed and lower-cased as it is, so messages can still show it.
 */
export function mediaTypeEssence(value: string | undefined): string {
  if (value === undefined) return '';
  return parseMediaType(value)?.essence ?? value.split(';', 1)[0]!.trim().toLowerCase();
}

/** `application/json`, or any `+json` structured syntax suffix; parameters and case do not matter. */
export function isJsonMediaType(value: string | undefined): boolean {
  const parsed = parseMediaType(value);
  return (
    parsed !== undefined &&
    ((parsed.type === 'application' && parsed.subtype === 'json') || parsed.subtype.endsWith('+json'))
  );
}

/** `application/xml`, `text/xml`, or any `+xml` structured syntax suffix. */
/** A form body: `application/x-www-form-urlencoded` or `multipart/form-data`, fields of an object. */
export function isFormMediaType(value: string | undefined): boolean {
  const essence = mediaTypeEssence(value);
  return essence === 'application/x-www-form-urlencoded' || essence === 'multipart/form-data';
}

export function isXmlMediaType(value: string | undefined): boolean {
  const parsed = parseMediaType(value);
  return parsed !== undefined && (parsed.subtype === 'xml' || parsed.subtype.endsWith('+xml'));
}

/** `*\/*` or `application/*`: a range of media types, which no body is labelled with. */
export function isMediaRange(value: string | undefined): boolean {
  const parsed = parseMediaType(value);
  return parsed !== undefined && (parsed.type === '*' || parsed.subtype === '*');
}

/** A JSON media type, or a range that holds JSON (`*\/*`, `application/*`): its schema describes JSON too. */
export function coversJson(value: string | undefined): boolean {
  return isJsonMediaType(value) || (isMediaRange(value) && mediaTypeMatches(value!, 'application/json'));
}

/**
 * Does the documented media type or range (`application/json`, `application/*`, `*\/*`) cover the
 * actual one? Parameters and case do not matter on either side.
 */
export function mediaTypeMatches(documentedRange: string, actual: string | undefined): boolean {
  const range = parseMediaType(documentedRange);
  if (!range) return false;
  if (range.type === '*' && range.subtype === '*') return true;
  const media = parseMediaType(actual);
  if (!media) return false;
  if (range.subtype === '*') return range.type === media.type;
  return range.essence === media.essence;
}
