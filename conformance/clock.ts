/** Time in milliseconds; injected so tests decide what "now" and "later" are. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts: a wait must never outlive a stopped run. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};
