/** Spaces request starts so that at most `count` start per `periodSeconds` (the rate limit we honour). */
export interface RateLimit {
  count: number;
  periodSeconds: number;
}

export class Pacer {
  private next = 0;
  private readonly interval: number;

  constructor(limit: RateLimit) {
    this.interval = (limit.periodSeconds * 1000) / limit.count;
  }

  async wait(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
