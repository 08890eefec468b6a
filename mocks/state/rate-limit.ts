/**
 * `x-rate-limit`: a sliding window per key (the credential, or one key for a global limit). Each key
 * keeps the times of its last `limit` accepted requests; the oldest one says when a slot frees up.
 */
export type Admission = { ok: true; remaining: number } | { ok: false; retryAfter: number };

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    /** Seconds. */
    readonly period: number,
  ) {}

  admit(key: string, now = Date.now()): Admission {
    const windowStart = now - this.period * 1000;
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

  reset(): void {
    this.hits.clear();
  }
}
