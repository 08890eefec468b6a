/**
 * Without Chromium the browser tests fail with one line that says how to install it, never skip.
 */
import { describe, expect, test } from 'vitest';
import { chromiumPath, DEFAULT_CHROMIUM, launchBrowser, requireChromium } from './browser.js';

describe('the browser', () => {
  test('a missing Chromium is one clear line: where it was looked for and how to install it', async () => {
    const missing = '/nonexistent/chromium';
    expect(() => requireChromium(missing)).toThrow(
      /^Chromium not found at \/nonexistent\/chromium: .*apt-get update && apt-get install -y chromium/,
    );
    const error = await launchBrowser({ path: missing }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect((error as Error).message).toContain('apt-get install -y chromium');
  });

  test("Debian's Chromium unless CHROMIUM_PATH says otherwise", () => {
    expect(chromiumPath({})).toBe(DEFAULT_CHROMIUM);
    expect(chromiumPath({ CHROMIUM_PATH: '' })).toBe(DEFAULT_CHROMIUM);
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/chrome/chrome' })).toBe('/opt/chrome/chrome');
    // This machine has it: every other browser test depends on it.
    expect(() => requireChromium(chromiumPath())).not.toThrow();
  });
});
