/**
 * Time that passes only when the runner waits: a sleep of `ms` moves the clock to `ms` after the
 * moment it was asked for (sleeps that overlap end together, as real ones would), after letting
 * whatever else is ready run first. Handed to the runner (its pacer and Retry-After waits) and to a
 * reference server (its rate-limit window), it makes a 600 s Retry-After cost no real time, and
 * nothing a test counts can depend on the machine's speed.
 */
import type { Clock } from '../../conformance/clock.js';

export interface VirtualClock extends Clock {
  /** Milliseconds since the epoch, starting at the real time the clock was made. */
  time: number;
}

export function virtualClock(): VirtualClock {
  const clock: VirtualClock = {
    time: Date.now(),
    now: () => clock.time,
    sleep: async (ms) => {
      const until = clock.time + ms;
      await new Promise((resolve) => setImmediate(resolve));
      clock.time = Math.max(clock.time, until);
    },
  };
  return clock;
}
