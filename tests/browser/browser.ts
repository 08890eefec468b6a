/**
 * A real browser for the browser tests: Debian's Chromium driven by playwright-core, which never
 * downloads a browser of its own. Each launch gets a fresh profile, removed on close. The flags keep
 * Chromium from calling home (this machine has no network besides loopback, and the background
 * connections it would try are refused).
 *
 * Without Chromium the tests fail, with one line saying how to install it: a browser test that
 * skips silently would hide that nothing was checked.
 */
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where Chromium is: CHROMIUM_PATH when set, else Debian's /usr/bin/chromium. */
export function chromiumPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

/** Throws one line saying how to install Chromium when `path` is not an executable. */
export function requireChromium(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium not found at ${path}: the browser tests need it; install it with \`apt-get update && apt-get install -y chromium\` (Debian) or set CHROMIUM_PATH to a Chromium or Chrome binary`,
    );
  }
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(options: { path?: string } = {}): Promise<Browser> {
  const path = options.path ?? chromiumPath();
  requireChromium(path);
  // A fresh --user-data-dir: playwright passes it from here (it refuses the flag in args).
  const profile = await mkdtemp(join(tmpdir(), 'browser-test-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: path,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      timeout: 30_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
