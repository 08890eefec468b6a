/**
 * Scenario selection as Prism defines it: the `Prefer` header (`code=422, example=missing-name,
 * dynamic=true`) or, when it is absent, the `__code`, `__example` and `__dynamic` query parameters.
 */
export interface Preferences {
  code?: string;
  example?: string;
  dynamic?: boolean;
}

function parsePreferHeader(header: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of header.split(/[,;]/)) {
    const match = /^\s*([A-Za-z_-]+)\s*(?:=\s*"?([^"]*)"?)?\s*$/.exec(part);
    if (match?.[1]) result[match[1].toLowerCase()] = match[2] ?? 'true';
  }
  return result;
}

export function readPreferences(preferHeader: string | undefined, query: URLSearchParams): Preferences {
  const raw: Record<string, string | undefined> = preferHeader
    ? parsePreferHeader(preferHeader)
    : {
        code: query.get('__code') ?? undefined,
        example: query.get('__example') ?? undefined,
        dynamic: query.get('__dynamic') ?? undefined,
      };
  const result: Preferences = {};
  if (raw.code !== undefined) result.code = raw.code;
  if (raw.example !== undefined) result.example = raw.example;
  if (raw.dynamic === 'true' || raw.dynamic === 'false') result.dynamic = raw.dynamic === 'true';
  return result;
}

/** A code or example names one documented response: the client chose the scenario, state stays out of it. */
export function isForced(preferences: Preferences): boolean {
  return preferences.code !== undefined || preferences.example !== undefined;
}
