/**
 * The rules a run option follows wherever it is given (a command-line flag or the config file), so
 * both say the same thing about the same value. Light on purpose: the CLI loads it before a run.
 */
import type { Rate as RateLimit } from '../lib/extensions.js';
import type { Origin } from './overrides.js';

/** A header name as HTTP allows it (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What a header value cannot hold: RFC 9110 allows tab, space, visible ASCII and obs-text (0x80-0xFF),
 * the very set the HTTP client accepts. Anything else makes it refuse every request, which would read
 * as the server failing each case.
 */
const NOT_IN_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Why a header value as given (it is sent trimmed) cannot be sent, to follow its name in a message
 * (`Authorization has ...`), or undefined when it can. Never quotes the value: it is usually a secret.
 */
export function headerValueProblem(given: string): string | undefined {
  // Even a trailing line break, which trimming would drop: a value spread over lines is a mistake to point at.
  if (/[\r\n]/.test(given)) return 'must be one line';
  const value = given.trim();
  const found = NOT_IN_HEADER_VALUE.exec(value);
  if (!found) return undefined;
  const code = value.codePointAt(found.index)!;
  const kind = code < 0x20 || code === 0x7f ? 'a control character' : 'a character beyond Latin-1';
  const point = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const allowed = 'a header value holds only tab, space, visible ASCII and Latin-1 characters';
  return `has ${kind} (${point}) at character ${found.index + 1} of its value: ${allowed}`;
}

/** Framing and hop-by-hop headers: the HTTP client owns them, and a given value would break the exchange. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
  'host',
]);

export const reservedHeaderReason = (name: string): string =>
  `${name} is not allowed: framing and connection headers are set by the runner's HTTP client`;

/** `10/s`, `15/m` or `none` (`off`, the mock's word for it, too); undefined when the text is neither. */
export function parseRateLimit(value: string): RateLimit | 'none' | undefined {
  if (value === 'none' || value === 'off') return 'none';
  const match = /^(\d+(?:\.\d+)?)\/(s|m)$/.exec(value);
  if (!match || Number(match[1]) <= 0) return undefined;
  return { limit: Number(match[1]), period: match[2] === 's' ? 1 : 60 };
}

/** Bounds of the numeric run options, the same on the command line and in the config file. */
export const LIMITS = { concurrency: 256, timeoutMs: 600_000, throttleWaitSeconds: 3600 } as const;

/** Why a rate-limit text cannot pace a run, or undefined when it can. */
export function rateLimitProblem(value: string): string | undefined {
  const parsed = parseRateLimit(value);
  if (!parsed) return `must look like 10/s or 15/m (or "none"), got "${value}"`;
  // A pace past an hour a request is a run that never ends (and a timer Node cannot hold).
  if (parsed !== 'none' && parsed.period / parsed.limit > LIMITS.throttleWaitSeconds) {
    return `${value} is slower than one request an hour`;
  }
  return undefined;
}

/** Edit distance counting a swap of neighbours as one edit (what a typo usually is). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** ` (did you mean x?)` when one candidate is close to the word, else nothing. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const best = candidates
    .map((candidate) => ({ candidate, d: distance(word.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean ${best.candidate}?)` : '';
}

/** The flags that give what the config file's `queryCredentials` and `cookieCredentials` give. */
export const CREDENTIAL_FLAGS = {
  queryCredentials: '--query-credential',
  cookieCredentials: '--cookie-credential',
} as const;

/** Names a credential given on the command line by its flag (`--query-credential access_token`). */
export const flagOrigin: Origin = (path) => {
  const flag = path.length === 2 ? CREDENTIAL_FLAGS[path[0] as keyof typeof CREDENTIAL_FLAGS] : undefined;
  return flag !== undefined ? `${flag} ${path[1]}` : path.join('.');
};
