/**
 * When a throttled answer proves the server wrong: the run's own credential (no request outside the
 * run can have used its quota) and fewer requests than the documented limit that can have reached
 * the server before it. Otherwise the run cannot tell, and the answer is not judged.
 */
import type { RateLimitExtension } from '../lib/extensions.js';
import type { ThrottleEvidence } from './types.js';

export function provablyPremature(evidence: ThrottleEvidence, limit: RateLimitExtension): boolean {
  return evidence.ownCredential && evidence.possiblyEarlier - 1 < limit.limit;
}
