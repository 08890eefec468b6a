/** Spaces request starts so that at most `limit` start per `period` seconds (the rate limit we honour). */
import type { Rate } from '../../lib/extensions.js';

export class Pacer {
  private next = 0;
  private readonly interval: number;

  constructor(rate: Rate) {
    this.interval = (rate.period * 1000) / rate.limit;
  }

  async wait(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
