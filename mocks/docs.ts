/**
 * `/__docs`: an API reference page for every mocked spec, rendered in the browser by Scalar's
 * standalone bundle (`@scalar/api-reference`), which the mock serves itself from node_modules: no
 * CDN, nothing fetched from outside. Each API's document is served with its `servers` replaced by
 * the mock's own URL for that API, so the page's "Test Request" calls the mock.
 *
 *   GET /__docs                      the list of APIs
 *   GET /__docs/<prefix>             one API's reference page
 *   GET /__docs/<prefix>/openapi.json  its OpenAPI document, servers pointing at the mock
 *   GET /__docs/assets/scalar.js     the renderer
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isObject, type JsonObject } from '../lib/json.js';
import { problem } from '../lib/problem.js';
import { apiUrl, type MockApi } from './api.js';
import type { Reply } from './responses.js';

export const DOCS_PATH = '/__docs';
const ASSET = 'scalar.js';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const html = (body: string): Reply => ({
  status: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  },
  body,
});

let bundle: string | undefined;

/** The standalone browser bundle of @scalar/api-reference, read once. */
export function scalarBundlePath(): string {
  // The package exports no subpath for its browser build: find it next to its main entry.
  const main = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return join(dirname(main), 'browser', 'standalone.js');
}

function scalarBundle(): string | undefined {
  if (bundle === undefined) {
    try {
      bundle = readFileSync(scalarBundlePath(), 'utf8');
    } catch {
      return undefined;
    }
  }
  return bundle;
}

/** The spec's document with every `servers` (root, path, operation) replaced by the mock's URL. */
export function mockedDocument(api: MockApi, host: string | undefined): JsonObject {
  const source = api.spec.source;
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(isObject(source.paths) ? source.paths : {})) {
    if (!isObject(item)) {
      paths[path] = item;
      continue;
    }
    const { servers: _servers, ...rest } = item;
    for (const [key, operation] of Object.entries(rest)) {
      if (isObject(operation) && 'servers' in operation) {
        const { servers: _operationServers, ...kept } = operation;
        rest[key] = kept;
      }
    }
    paths[path] = rest;
  }
  return {
    ...source,
    servers: [{ url: apiUrl(api, host), description: `This mock (${api.spec.title})` }],
    paths,
  };
}

/**
 * Credentials filled in for "Test Request": the mock accepts any well-formed credential, so the
 * page works at once; each stays editable in the page.
 */
function prefilledAuthentication(api: MockApi): JsonObject {
  const schemes: JsonObject = {};
  const components = isObject(api.spec.source.components) ? api.spec.source.components : {};
  for (const [name, scheme] of Object.entries(isObject(components.securitySchemes) ? components.securitySchemes : {})) {
    if (!isObject(scheme)) continue;
    if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer')
      schemes[name] = { token: 'any-token' };
    else if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'basic')
      schemes[name] = { username: 'any-user', password: 'any-password' };
    else if (scheme.type === 'apiKey') schemes[name] = { value: 'any-key' };
  }
  const first = Object.keys(schemes)[0];
  return { ...(first !== undefined ? { preferredSecurityScheme: first } : {}), securitySchemes: schemes };
}

function referencePage(api: MockApi): Reply {
  const configuration = {
    url: `${DOCS_PATH}/${api.prefix}/openapi.json`,
    // Nothing from outside: no web fonts, no telemetry, no proxy, no AI agent, no MCP.
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: 'never',
    documentDownloadType: 'json',
    persistAuth: false,
    hideDarkModeToggle: false,
    authentication: prefilledAuthentication(api),
  };
  const title = `${api.spec.title} · mock API reference`;
  return html(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app"></div>
<script src="${DOCS_PATH}/assets/${ASSET}"></script>
<script>Scalar.createApiReference('#app', ${scriptJson(configuration)});</script>
</body>
</html>
`);
}

function indexPage(apis: readonly MockApi[], host: string | undefined): Reply {
  const rows = apis
    .map((api) => {
      const url = apiUrl(api, host);
      return `<tr>
<td><a href="${DOCS_PATH}/${encodeURIComponent(api.prefix)}">${escapeHtml(api.spec.title)}</a></td>
<td>${escapeHtml(api.spec.version)}</td>
<td><code>${escapeHtml(url)}</code></td>
<td>${api.spec.operations.length}</td>
<td><a href="${DOCS_PATH}/${encodeURIComponent(api.prefix)}/openapi.json">openapi.json</a></td>
</tr>`;
    })
    .join('\n');
  return html(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mocked APIs · API reference</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d2433; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #dde2ea; }
th { font-size: .8rem; text-transform: uppercase; color: #5b6475; }
code { font-size: .85rem; }
p { color: #5b6475; }
</style>
</head>
<body>
<h1>Mocked APIs</h1>
<p>Each reference page sends its "Test Request" calls to this mock. State is shared with every other client:
<code>POST /__mock/reset</code> clears it, <code>GET /__mock/state</code> shows it.</p>
<table id="apis">
<thead><tr><th>API</th><th>version</th><th>base URL on this mock</th><th>operations</th><th>document</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`);
}

/**
 * The answer to a request under `/__docs`, or undefined for any other path. `host` is the request's
 * Host header: the pages point at the mock the way the browser reached it.
 */
export function docsReply(
  apis: Iterable<MockApi>,
  method: string,
  path: string,
  host: string | undefined,
): Reply | undefined {
  if (path !== DOCS_PATH && !path.startsWith(`${DOCS_PATH}/`)) return undefined;
  if (method !== 'get' && method !== 'head')
    return problem(405, 'Method Not Allowed', `${method.toUpperCase()} is not served under ${DOCS_PATH}`, {
      allow: 'GET, HEAD',
    });
  const list = [...apis];
  const segments = path.slice(DOCS_PATH.length).split('/').filter(Boolean);
  if (segments.length === 0) return indexPage(list, host);
  const [first, second, ...rest] = segments;
  if (first === 'assets') {
    const found = second === ASSET && rest.length === 0 ? scalarBundle() : undefined;
    if (found === undefined) {
      return problem(
        404,
        'Not Found',
        second === ASSET
          ? 'The API reference renderer is missing: run npm ci (it is @scalar/api-reference)'
          : `The only asset is ${DOCS_PATH}/assets/${ASSET}`,
      );
    }
    return {
      status: 200,
      headers: {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
      },
      body: found,
    };
  }
  const api = list.find((candidate) => candidate.prefix === first?.toLowerCase());
  if (!api)
    return problem(
      404,
      'Not Found',
      `No API is mocked under /${first}; the reference pages are ${list.map((a) => `${DOCS_PATH}/${a.prefix}`).join(', ')}`,
    );
  if (second === undefined) return referencePage(api);
  if (second === 'openapi.json' && rest.length === 0)
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      body: mockedDocument(api, host),
    };
  return problem(
    404,
    'Not Found',
    `${DOCS_PATH}/${api.prefix} has only its page and ${DOCS_PATH}/${api.prefix}/openapi.json`,
  );
}
