/**
 * The defaults of the options a run takes, shared by the CLI's help and `run()` called directly.
 * maxCases is Schemathesis's `--max-examples` default: at most 100 requests per operation, fewer
 * when the schemas have fewer distinct values.
 */
export const DEFAULTS = { maxCases: 100, concurrency: 8, timeoutMs: 10_000, throttleWaitMs: 10_000 } as const;

/** The largest --max-cases a plan may be asked for: beyond it no run finishes in useful time. */
export const MAX_CASES_LIMIT = 10_000;
