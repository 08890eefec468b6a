/**
 * A limit over a long period (a vendor's monthly quota, or `--rate-limit 1/99999999999`) is kept as
 * given; the idle pruning of its windows runs at most daily instead of overflowing Node's timer,
 * which fires such a timer every millisecond and warns.
 */
import { afterEach, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { MockClient } from './support/mock-client.js';

let mock: RunningMock | undefined;
afterEach(() => mock?.close());

it('a period past what a timer holds: no TimeoutOverflowWarning, and the limit still holds', async () => {
  const warnings: string[] = [];
  // The worker runs other files too: only a warning about this period's milliseconds counts.
  const onWarning = (warning: Error): void => {
    if (warning.message.includes('99999999999000')) warnings.push(warning.name);
  };
  process.on('warning', onWarning);
  try {
    mock = await startMock({ port: 0, rateLimit: { limit: 1, period: 99_999_999_999 } });
    const client = await MockClient.connect(mock);
    const headers = { authorization: 'Bearer long-period' };
    expect((await client.call('easify', 'createContactGroup', { body: { name: 'One' }, headers })).status).toBe(200);
    const refused = await client.call('easify', 'createContactGroup', { body: { name: 'Two' }, headers });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('99999999999');
    // Warnings are emitted on the next tick of the timer's creation: long past by now.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  } finally {
    process.off('warning', onWarning);
  }
});
