/** The runner's public surface: `run(options)` and the types of its options and result. */
export { run, DEFAULTS, type RunOptions, type RunResult } from './run.js';
export { CHECK_NAMES } from './checks/registry.js';
export { ConfigError } from './errors.js';
export type { Report, FailureRecord, Counts } from './report.js';
export type { RateLimit } from './http/pacer.js';
