/**
 * `x-rate-limit`: a sliding window per key (the credential, or one key for a global limit). Each key
 * keeps the times of its last `limit` accepted requests; the oldest one says when a slot frees up.
 * Windows that have emptied are dropped, so a flood of distinct credentials costs nothing once idle.
 */
export type Admission = { ok: true; remaining: number } | { ok: false; retryAfter: number };

/** Milliseconds since some fixed point; injected so tests decide what time it is. */
export type Clock = () => number;

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep: number;

  constructor(
    readonly limit: number,
    /** Seconds. */
    readonly period: number,
    private readonly clock: Clock = Date.now,
  ) {
    this.lastSweep = clock();
  }

  admit(key: string): Admission {
    const now = this.clock();
    const windowStart = now - this.period * 1000;
    if (now - this.lastSweep >= this.period * 1000) this.sweep(windowStart, now);
    const times = (this.hits.get(key) ?? []).filter((t) => t > windowStart);
    if (times.length >= this.limit) {
      this.hits.set(key, times);
      const oldest = times[0]!;
      return { ok: false, retryAfter: Math.max(1, Math.ceil((oldest + this.period * 1000 - now) / 1000)) };
    }
    times.push(now);
    this.hits.set(key, times);
    return { ok: true, remaining: this.limit - times.length };
  }

  /** Keys with a request inside the window: what the limiter holds in memory. */
  get size(): number {
    return this.hits.size;
  }

  private sweep(windowStart: number, now: number): void {
    this.lastSweep = now;
    for (const [key, times] of this.hits) if (times.at(-1)! <= windowStart) this.hits.delete(key);
  }

  reset(): void {
    this.hits.clear();
  }
}
