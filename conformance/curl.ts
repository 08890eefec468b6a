/** A copy-paste `curl` that replays a request (built from the already redacted request). */

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function toCurl(request: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}): string {
  // `-X HEAD` would wait for a body that never comes: curl asks for the head alone with -I.
  const parts =
    request.method.toUpperCase() === 'HEAD'
      ? ['curl', '-I', quote(request.url)]
      : ['curl', '-i', '-X', request.method, quote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) parts.push('-H', quote(`${name}: ${value}`));
  if (request.body !== undefined) parts.push('--data-binary', quote(request.body));
  return parts.join(' ');
}
