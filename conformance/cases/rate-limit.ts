/**
 * The opt-in rate-limit burst: limit + 1 valid requests in a row, unpaced, on a credential of their
 * own when the user gave none (so the run's other requests do not share its window).
 */
import type { Operation } from '../../lib/spec.js';
import { type BuildContext, bodyMedia } from './context.js';
import { BURST_LABEL, credentials } from './credentials.js';
import { type Draft, validBody } from './positive.js';
import { baseRequest, payload, withBody } from './request.js';
import type { ScenarioDraft } from './stateful.js';

/** Bursts larger than this would take too long to be a useful check. */
const LARGEST_BURST = 1000;

export function rateLimitScenario(ctx: BuildContext, operations: Operation[]): ScenarioDraft | undefined {
  const limit = ctx.spec.rateLimit;
  const operation = operations.find((op) => !ctx.links.has(op.operationId));
  if (!limit || !operation || limit.limit >= LARGEST_BURST) return undefined;
  const own = credentials(operation, ctx.nonce, BURST_LABEL).headers;
  const steps: Draft[] = [];
  for (let i = 0; i <= limit.limit; i++) {
    const last = i === limit.limit;
    const request = withBody(
      baseRequest(ctx, operation),
      bodyMedia(operation) ? payload(operation, validBody(ctx, operation)) : undefined,
    );
    Object.assign(request.headers, own);
    steps.push({
      operation,
      kind: last ? 'rate-limit' : 'positive',
      name: `rate-limit: request ${i + 1} of ${limit.limit + 1} within ${limit.period} s`,
      request,
      ...(last ? { expectThrottle: true } : {}),
    });
  }
  return { name: `${limit.limit + 1} requests against a limit of ${limit.limit} per ${limit.period} s`, steps };
}
