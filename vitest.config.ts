import { defineConfig } from 'vitest/config';

/**
 * The end-to-end tier: whole public documents under the mock and under Prism, a real browser, curl,
 * load and repeated runs, spawned CLIs. `npm test` runs the rest (45-60 s on 2 cores);
 * `npm run test:e2e` runs these; CI runs both.
 */
const E2E = [
  'tests/corpus/**/*.test.ts',
  'tests/browser/**/*.test.ts',
  'tests/conformance/prism-vendor.test.ts',
  'tests/conformance/compiled-cli.test.ts',
  'tests/mock/consecutive-runs.test.ts',
  'tests/mock/load.test.ts',
  'tests/mock/limiter-flood.test.ts',
  'tests/mock/typed-client.test.ts',
  'tests/mock/readme-curl.test.ts',
  'tests/mock/cli.test.ts',
  'tests/specs/lint.test.ts',
];

export default defineConfig({
  test: {
    // Transformed modules kept on disk (node_modules/.experimental-vitest-cache), keyed by content:
    // a run after the first transforms only what changed.
    experimental: { fsModuleCache: true },
    // Tests start real Prism engines and HTTP servers; allow for a cold machine, never for a hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on servers and child processes: more workers than cores keeps both cores busy.
    maxWorkers: 3,
    reporters: ['default'],
    projects: [
      // A worker keeps its imported modules from file to file (every test file starts its own servers
      // on port 0; what modules keep is caches keyed by content: parsed and loaded specs, compiled
      // validators, Prism's operations, which the next file may reuse): a third of the CPU time of a
      // fresh fork per file.
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: E2E, isolate: false } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
