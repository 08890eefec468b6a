/**
 * The defaults of the options a run takes, shared by the CLI's help and `run()` called directly.
 * maxCases is Schemathesis's `--max-examples` default: at most 100 requests per operation, fewer
 * when the schemas have fewer distinct values.
 */
export const DEFAULTS = { maxCases: 100, concurrency: 8, timeoutMs: 10_000, throttleWaitMs: 10_000 } as const;

/**
 * After an interrupt (Ctrl-C) the cleanup still runs, for at most this long: records the run made
 * should not stay behind, but whoever pressed Ctrl-C is waiting (a second signal exits at once).
 */
export const INTERRUPTED_CLEANUP_MS = 30_000;

/** Exit codes of a run stopped by a signal: 128 + the signal's number, as shells report it. */
export const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The largest --max-cases a plan may be asked for: beyond it no run finishes in useful time. */
export const MAX_CASES_LIMIT = 10_000;
