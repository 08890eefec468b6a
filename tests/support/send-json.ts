/** A request with a JSON body (or none) to a server under test, and its answer's JSON. */
export function sendJson(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** `sendJson`'s answer parsed as the JSON it is expected to be. */
export async function sendJsonFor<T>(url: string, method: string, body?: unknown, headers?: Record<string, string>) {
  return (await (await sendJson(url, method, body, headers)).json()) as T;
}
