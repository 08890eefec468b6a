/**
 * The HTML report in a real browser (Debian's Chromium), opened from file:// as a person would:
 * after a real run against a faulty server, what renders matches the JSON report of the same run
 * (counts, matrix cells), a failure's details expand, the filter works, and the page loads nothing.
 * After a run against a hostile server, whose answers are markup and script, no script of theirs
 * runs and their text shows as text.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAULTS } from '../support/faulty-servers.js';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import { runConformance, targetArgs } from '../support/runner.js';
import { type Browser, launchBrowser } from './browser.js';

interface FullReport {
  summary: { total: number; passed: number; failed: number; skipped: number };
  operations: Record<string, { cases: number }>;
  groups: { operationId: string; check: string; count: number }[];
  seed: number;
}

let browser: Browser;
let dir: string;
const servers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'html-report-test-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => s.close()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A page that records every request it makes and every console error (a CSP refusal is one). */
async function openPage(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(file).href);
  return { page, requests, errors };
}

async function faultyServer(names: string[]): Promise<RunningServer> {
  const faults = names.map((name) => FAULTS.find((f) => f.fault.name === name)!.fault);
  const server = await startReferenceServer('bigchange', { faults });
  servers.push(server);
  return server;
}

describe('HTML report in a browser', () => {
  test('a run against a faulty server: counts, matrix cells and failures as in the JSON report; details expand', async () => {
    const server = await faultyServer(['bigchange-create-answers-200', 'bigchange-patch-unknown-id-204']);
    const file = join(dir, 'faulty.html');
    const run = await runConformance([
      ...targetArgs('bigchange', server),
      '--seed',
      '7',
      '--max-cases',
      '40',
      '--report-html',
      file,
    ]);
    expect(run.code, run.describe()).toBe(1);
    const json = JSON.parse(run.jsonText!) as FullReport;
    const { page, requests, errors } = await openPage(file);

    // The counts.
    for (const key of ['total', 'passed', 'failed', 'skipped'] as const)
      expect(await page.locator(`[data-count="${key}"]`).textContent(), key).toBe(String(json.summary[key]));
    expect(await page.locator('#verdict').textContent()).toBe('FAILED');
    expect(await page.locator('[data-meta="seed"]').textContent()).toBe(String(json.seed));

    // The matrix of createContactGroup: the 200 answers are undocumented and failed, 201 never came.
    const create = page.locator('section.operation[data-operation="createContactGroup"]');
    const cell200 = create.locator('td[data-status="200"][data-kind="positive"]');
    await expect.poll(() => cell200.getAttribute('class')).toBe('cell failed');
    expect(Number(await cell200.getAttribute('data-cases'))).toBeGreaterThan(0);
    expect(await create.locator('tr[data-status="200"]').getAttribute('class')).toBe('row undocumented');
    expect(await create.locator('tr[data-status="201"]').getAttribute('class')).toBe('row never');
    expect(await create.locator('tr[data-status="201"] .tag.never').isVisible()).toBe(true);
    expect(await create.locator('td[data-status="400"][data-kind="negative"]').getAttribute('class')).toBe('cell seen');
    // Every case of each operation is counted in exactly one row.
    for (const [operationId, { cases }] of Object.entries(json.operations)) {
      const totals = await page
        .locator(`section.operation[data-operation="${operationId}"] td[data-kind="all"]`)
        .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-cases'))));
      expect(
        totals.reduce((a, b) => a + b, 0),
        operationId,
      ).toBe(cases);
    }

    // The failure groups, closed; one opens on a click and shows expected, got, the exchange and the curl.
    const groups = page.locator('details.failure');
    expect(await groups.count()).toBe(json.groups.length);
    const first = groups.first();
    const body = first.locator('.body');
    expect(await body.isVisible()).toBe(false);
    await first.locator('summary').click();
    await body.waitFor({ state: 'visible' });
    expect(await first.getAttribute('open')).not.toBeNull();
    const text = ((await body.textContent()) ?? '').toLowerCase();
    for (const part of ['expected', 'got', 'request', 'response', 'reproduce', 'curl -i', 'bearer ***'])
      expect(text, part).toContain(part);
    expect(await body.locator('pre.curl').isVisible()).toBe(true);

    // The filter keeps the groups of one check; expand all opens every group shown.
    const check = json.groups[json.groups.length - 1]!.check;
    await page.locator('#filter').fill(check);
    await expect
      .poll(() => page.locator('details.failure:not([hidden])').count())
      .toBe(json.groups.filter((g) => g.check === check).length);
    await page.locator('#filter').fill('');
    await page.locator('#expand').click();
    expect(await page.locator('details.failure[open]').count()).toBe(json.groups.length);

    // Offline: the page asked for nothing but itself, and its CSP refused nothing of its own.
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
  });

  test("a hostile server's answers render as text: none of its markup or script runs, nothing loads", async () => {
    const hostile = '<script>window.__pwned = 1</script><img src="http://127.0.0.1:9/x" onerror="window.__pwned = 2">';
    const server: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(500, { 'content-type': 'text/html', 'x-hostile': hostile });
        response.end(`${hostile}<style>body { display: none }</style>\u202eevil`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = join(dir, 'hostile.html');
    const run = await runConformance([
      ...targetArgs('bigchange', { baseUrl }),
      '--seed',
      '3',
      '--max-cases',
      '1',
      '--report-html',
      file,
    ]);
    expect(run.code, run.describe()).toBe(1);
    const { page, requests, errors } = await openPage(file);
    await page.locator('#expand').click();
    // Evaluated in the page (this project's TypeScript has no DOM types).
    const scripts = await page.evaluate(`({
      pwned: window.__pwned,
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      styles: document.querySelectorAll('style').length,
      hidden: getComputedStyle(document.body).display === 'none',
    })`);
    expect(scripts).toEqual({ pwned: undefined, scripts: 1, images: 0, styles: 1, hidden: false });
    const body = (await page.locator('details.failure .body').first().textContent()) ?? '';
    expect(body).toContain(hostile);
    expect(body).toContain('\\u202eevil');
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
  });
});
