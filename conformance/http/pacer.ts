/**
 * When the run's next request may start: at most `limit` starts per `period` seconds (the rate
 * limit we honour), and none while the server has asked the run to wait (a throttled answer's
 * Retry-After). One pacer per run: the server's quota is the run's, not a case's.
 */
import type { Rate } from '../../lib/extensions.js';
import { type Clock, systemClock } from '../clock.js';

export class Pacer {
  private next = 0;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly interval: number;

  /** Without a rate the pacer only holds requests back while paused. */
  constructor(
    rate: Rate | undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.interval = rate ? (rate.period * 1000) / rate.limit : 0;
  }

  /** No request starts before `ms` from now; a longer pause already set stays. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  /** When the current pause ends (in the past when there is none). */
  resumesAt(): number {
    return this.pausedUntil;
  }

  /** True when a request could start now without waiting: the common, unpaced case costs no await. */
  free(): boolean {
    return this.interval === 0 && this.clock.now() >= this.pausedUntil;
  }

  /** Resolves when the next request may start, or at once when `signal` aborts (the caller checks it). */
  async wait(signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted) {
      const now = this.clock.now();
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now, signal);
        continue;
      }
      if (this.interval === 0) return;
      const slot = Math.max(now, this.next);
      this.next = slot + this.interval;
      if (slot > now) await this.clock.sleep(slot - now, signal);
      // A pause set while this slot was awaited holds it too.
      if (this.clock.now() >= this.pausedUntil) return;
    }
  }
}
