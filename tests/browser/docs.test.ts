/**
 * The mock's API reference pages, `/__docs`: over HTTP (the list, each API's document with its
 * servers pointing at the mock, the bundle, the errors) and in a real browser, where the page of
 * BigChange renders from the bundle the mock serves and its "Test Request" → Send creates a group
 * in the mock. Nothing the pages load comes from anywhere but the mock.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MockApi } from '../../mocks/api.js';
import { mockedDocument } from '../../mocks/docs.js';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { type Browser, launchBrowser } from './browser.js';

let mock: RunningMock;
let browser: Browser;

beforeAll(async () => {
  [mock, browser] = await Promise.all([startMock({ port: 0, rateLimit: false }), launchBrowser()]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), mock?.close()]);
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with any Host header (fetch does not let a caller set one), its path sent as written. */
function get(path: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  const { hostname, port } = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname,
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.host !== undefined ? { host: options.host } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('/__docs over HTTP', () => {
  test('each API document has its servers replaced by the mock URL the browser used', async () => {
    const port = new URL(mock.url).port;
    for (const api of mock.apis) {
      const answer = await get(`/__docs/${api.name}/openapi.json`, { host: `localhost:${port}` });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json');
      const document = JSON.parse(answer.text) as { openapi: string; servers: { url: string }[] };
      expect(document.openapi).toMatch(/^3\.1/);
      expect(document.servers.map((s) => s.url)).toEqual([api.baseUrl.replace('127.0.0.1', 'localhost')]);
    }
    // A Host header that is no host: a relative server URL, nothing of it in the document.
    const odd = await get('/__docs/easify/openapi.json', { host: 'evil"><script>x</script>' });
    const document = JSON.parse(odd.text) as { servers: { url: string }[] };
    expect(document.servers).toEqual([{ url: '/easify/api/v2', description: expect.any(String) }]);
    expect(odd.text).not.toContain('evil');
  });

  test('the list, the page, the bundle and the errors', async () => {
    const list = await get('/__docs');
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const api of mock.apis) expect(list.text).toContain(`href="/__docs/${api.name}"`);
    const page = await get('/__docs/bigchange');
    expect(page.text).toContain('<script src="/__docs/assets/scalar.js"></script>');
    expect(page.text).toContain('"url":"/__docs/bigchange/openapi.json"');
    expect(page.text).not.toMatch(/https?:\/\//);
    const bundle = await get('/__docs/assets/scalar.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.text.length).toBeGreaterThan(1_000_000);
    expect(bundle.text).toContain('createApiReference');
    const head = await get('/__docs/bigchange', { method: 'HEAD' });
    expect([head.status, head.text]).toEqual([200, '']);
    const errors = await Promise.all([
      get('/__docs/nope'),
      get('/__docs/assets/other.js'),
      get('/__docs/assets/../../package.json'),
      get('/__docs/bigchange/other'),
      get('/__docs', { method: 'POST' }),
    ]);
    expect(errors.map((e) => e.status)).toEqual([404, 404, 400, 404, 405]);
    expect(errors[0]!.text).toContain('/__docs/bigchange');
    expect(errors[4]!.headers.allow).toBe('GET, HEAD');
    // The APIs and the control endpoints are where they were.
    expect((await get('/__mock/state')).status).toBe(200);
    expect((await get('/__docsx')).status).toBe(404);
  });

  test('servers of paths and operations are replaced too', () => {
    const api = {
      prefix: 'x',
      basePath: '/v2',
      spec: {
        title: 'X',
        source: {
          openapi: '3.1.0',
          servers: [{ url: 'https://vendor.example/v2' }],
          paths: {
            '/a': { servers: [{ url: 'https://a.example' }], get: { servers: [{ url: 'https://b.example' }] } },
          },
        },
      },
    } as unknown as MockApi;
    const document = mockedDocument(api, '127.0.0.1:4010');
    expect(document.servers).toEqual([{ url: 'http://127.0.0.1:4010/x/v2', description: 'This mock (X)' }]);
    expect(JSON.stringify(document)).not.toContain('example');
    expect(api.spec.source.servers).toEqual([{ url: 'https://vendor.example/v2' }]);
  });
});

describe('/__docs in a browser', () => {
  test('the list links every API to its reference page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${mock.url}/__docs`);
    const rows = page.locator('#apis tbody tr');
    expect(await rows.count()).toBe(mock.apis.length);
    const urls = await page.locator('#apis tbody tr td:nth-child(3)').allInnerTexts();
    expect(urls).toEqual(mock.apis.map((api) => api.baseUrl));
    const links = await page
      .locator('#apis tbody tr td:first-child a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(mock.apis.map((api) => `/__docs/${api.name}`));
    await page.close();
  });

  test('a reference page renders from the mock alone and its Test Request calls the mock', async () => {
    await get('/__mock/reset', { method: 'POST' });
    const page = await browser.context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${mock.url}/__docs/bigchange`);
    // Rendered by the bundle: the spec's title and its servers, now the mock.
    await page.getByRole('heading', { name: 'BigChange Contact Groups API' }).first().waitFor();
    await page
      .getByText(mock.apis.find((a) => a.name === 'bigchange')!.baseUrl)
      .first()
      .waitFor();
    // The create is not the page's first operation (the list is): its section renders once in view.
    await page.locator('[id$="/POST/v1/contactGroups"]').first().scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Test Request (post /v1/contactGroups)' }).click();
    const answered = page.waitForResponse(
      (response) =>
        response.url() === `${mock.url}/bigchange/v1/contactGroups` && response.request().method() === 'POST',
    );
    await page
      .getByRole('button', { name: /^Send.*request to/ })
      .first()
      .click();
    const response = await answered;
    expect(response.status()).toBe(201);
    const created = (await response.json()) as { id: number };
    // The page's client shows the answer (its status and the new id), and the mock kept the group.
    const client = page.getByRole('dialog').first();
    await client.getByText('201 Created').first().waitFor();
    await client.getByText(String(created.id)).first().waitFor();
    const state = JSON.parse((await get('/__mock/state')).text) as {
      bigchange: { contactGroups?: { id: number; name: string }[] };
    };
    expect(state.bigchange.contactGroups?.map((g) => g.id)).toEqual([created.id]);
    // Nothing came from anywhere but the mock.
    expect(requests.filter((url) => !url.startsWith(`${mock.url}/`))).toEqual([]);
    await page.close();
  });
});
