/** The runner's public surface: `run(options)` and the types of its options and result. */

export type { Rate as RateLimit } from '../lib/extensions.js';
export { CHECK_NAMES } from './checks/registry.js';
export { DEFAULTS } from './defaults.js';
export { ConfigError } from './errors.js';
export type { Counts, FailureRecord, Report } from './report.js';
export { type RunOptions, type RunResult, run } from './run.js';
