/**
 * --report-html and --report-har are prepared like the other reports: a path given twice or that
 * cannot be written is exit 2 before a request is sent; written files appear where asked.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type RunningServer, startReferenceServer } from '../support/reference-server.js';
import { runConformance, targetArgs } from '../support/runner.js';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('--report-html and --report-har', () => {
  test('a path given twice, or one that cannot be written, is exit 2 before any request', async () => {
    const server = await startReferenceServer('bigchange');
    servers.push(server);
    const dir = await mkdtemp(join(tmpdir(), 'report-options-'));
    try {
      const twice = await runConformance(
        [...targetArgs('bigchange', server), '--report-html', join(dir, 'r'), '--report-har', join(dir, 'r')],
        { json: false },
      );
      expect(twice.code, twice.describe()).toBe(2);
      expect(twice.stderr).toMatch(/is given for two reports/);
      for (const option of ['--report-html', '--report-har']) {
        const unwritable = await runConformance(
          [...targetArgs('bigchange', server), option, '/proc/no-such-dir/report'],
          { json: false },
        );
        expect(unwritable.code, unwritable.describe()).toBe(2);
        expect(unwritable.stderr).toMatch(
          /^conformance: cannot write report \/proc\/no-such-dir\/report: [a-z ,-]+ \([A-Z]+\)\n$/,
        );
      }
      expect(server.requestCount).toBe(0);

      const written = await runConformance(
        [
          ...targetArgs('bigchange', server),
          '--max-cases',
          '1',
          '--operation',
          'createContactGroup',
          '--report-html',
          join(dir, 'a', 'report.html'),
          '--report-har',
          join(dir, 'b', 'report.har'),
        ],
        { json: false },
      );
      expect([0, 1], written.describe()).toContain(written.code);
      expect(await readFile(join(dir, 'a', 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
      expect(JSON.parse(await readFile(join(dir, 'b', 'report.har'), 'utf8'))).toHaveProperty('log.version', '1.2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
