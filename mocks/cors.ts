/**
 * CORS as `prism mock` does it by default, so that a frontend on another origin (a dev server on
 * :3000) can call the mock from the browser: every answer allows the caller's origin, and a
 * preflight is answered here without touching any API.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './responses.js';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return {
    'access-control-allow-origin': first(headers.origin) ?? '*',
    'access-control-allow-headers': first(headers['access-control-request-headers']) ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': '*',
  };
}

/** The mock's own CORS headers: a spec's header of the same name replaces one only with a value it gives. */
export const isCorsHeader = (name: string): boolean => name.toLowerCase().startsWith('access-control-');

/** A browser's preflight (OPTIONS with Origin and Access-Control-Request-Method), or undefined. */
export function preflight(method: string, headers: IncomingHttpHeaders): Reply | undefined {
  if (method !== 'options' || !headers.origin || !headers['access-control-request-method']) return undefined;
  return {
    status: 204,
    headers: {
      ...corsHeaders(headers),
      'access-control-allow-methods':
        first(headers['access-control-request-method']) ?? 'GET,DELETE,HEAD,PATCH,POST,PUT,OPTIONS',
      vary: 'origin',
    },
  };
}
