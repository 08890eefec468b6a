/**
 * Makes the README's screenshots from real runs: `npx tsx tests/browser/screenshots.ts`.
 *
 * - docs/images/html-report.png: the HTML report of a run against a faulty BigChange server
 *   (three faults, so the matrix and the failures have something to show), one failure expanded.
 * - docs/images/mock-docs.png: the mock's /__docs page of BigChange after "Test Request" → Send.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMock } from '../../mocks/server.js';
import { FAULTS } from '../support/faulty-servers.js';
import { REPO_ROOT, startReferenceServer } from '../support/reference-server.js';
import { runConformance, targetArgs } from '../support/runner.js';
import { launchBrowser } from './browser.js';

export const SCREENSHOT_FAULTS = [
  'bigchange-create-answers-200',
  'bigchange-customer-id-optional',
  'bigchange-patch-unknown-id-204',
];

const images = join(REPO_ROOT, 'docs', 'images');
await mkdir(images, { recursive: true });
const dir = await mkdtemp(join(tmpdir(), 'screenshots-'));
const browser = await launchBrowser();
try {
  const faults = SCREENSHOT_FAULTS.map((name) => FAULTS.find((f) => f.fault.name === name)!.fault);
  const server = await startReferenceServer('bigchange', { faults });
  const html = join(dir, 'report.html');
  const run = await runConformance([
    ...targetArgs('bigchange', server),
    '--seed',
    '7',
    '--max-cases',
    '1000',
    '--no-random',
    '--report-html',
    html,
  ]);
  await server.close();
  if (run.code !== 1) throw new Error(`expected failures, got ${run.describe()}`);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.goto(pathToFileURL(html).href);
  // The first failure opened, the page seen from its top: the header, the counts and the matrices.
  const first = page.locator('details.failure').first();
  await first.evaluate((details) => details.setAttribute('open', ''));
  const box = (await first.boundingBox())!;
  await page.screenshot({
    path: join(images, 'html-report.png'),
    fullPage: true,
    clip: { x: 0, y: 0, width: 1280, height: Math.ceil(box.y + box.height + 16) },
  });

  const mock = await startMock({ port: 0 });
  try {
    const docs = await browser.context.newPage();
    await docs.setViewportSize({ width: 1280, height: 800 });
    // Scalar renders the operations as they scroll into view: the link to the create brings its button.
    await docs.goto(`${mock.url}/__docs/bigchange#tag/contact-groups/POST/v1/contactGroups`);
    await docs.getByRole('button', { name: 'Test Request (post /v1/contactGroups)' }).click();
    const answered = docs.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/bigchange/v1/contactGroups'),
    );
    await docs
      .getByRole('button', { name: /^Send.*request to/ })
      .first()
      .click();
    await answered;
    await docs.getByText('201 Created').first().waitFor();
    await docs.screenshot({ path: join(images, 'mock-docs.png') });
  } finally {
    await mock.close();
  }
  console.log(`written: ${join(images, 'html-report.png')}, ${join(images, 'mock-docs.png')}`);
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
