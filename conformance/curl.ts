/** A copy-paste `curl` that replays a request (built from the already redacted request). */
import type { SentRequest } from './types.js';

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function toCurl(request: SentRequest): string {
  const parts = ['curl', '-i', '-X', request.method, quote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) parts.push('-H', quote(`${name}: ${value}`));
  if (request.body !== undefined) parts.push('--data-binary', quote(request.body));
  return parts.join(' ');
}
