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
  private lastPrune: number;

  constructor(
    readonly limit: number,
    /** Seconds. */
    readonly period: number,
    private readonly clock: Clock = Date.now,
  ) {
    this.lastPrune = clock();
  }

  admit(key: string): Admission {
    const now = this.clock();
    const windowStart = now - this.period * 1000;
    // At most one full pass per period: what stays behind is bounded by the keys seen in two periods.
    if (now - this.lastPrune >= this.period * 1000) this.prune(now);
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

  /** Drops every window without a request inside it; requests are not needed for it (an idle mock calls it too). */
  prune(now = this.clock()): void {
    this.lastPrune = now;
    const windowStart = now - this.period * 1000;
    for (const [key, times] of this.hits) if (times.at(-1)! <= windowStart) this.hits.delete(key);
  }

  /** Windows held in memory (one per key seen recently), expired ones included until the next prune. */
  get size(): number {
    return this.hits.size;
  }

  reset(): void {
    this.hits.clear();
  }
}
