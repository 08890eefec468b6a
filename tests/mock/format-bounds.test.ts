/**
 * A number documented with a format (`int32`, `int64`, `float`, `double`) and no example is answered
 * as it would be without the format (0), not as the format's lowest value (-2147483648); bounds the
 * document states still decide.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mocks/server.js';
import { runConformance, summarize } from '../support/runner.js';

const FIXTURE = 'tests/fixtures/openapi/count-int32.yaml';

let mock: RunningMock;
let baseUrl: string;
beforeAll(async () => {
  mock = await startMock({ port: 0, specFiles: [FIXTURE] });
  baseUrl = mock.apis[0]!.baseUrl;
});
afterAll(() => mock.close());

const get = async (path: string): Promise<unknown> => {
  const response = await fetch(`${baseUrl}${path}`);
  expect(response.status).toBe(200);
  return response.json();
};

it('a bare int32 count is 0', async () => {
  expect(await get('/users/count')).toBe(0);
});

it('the int64 counts of a map are 0', async () => {
  const counts = (await get('/groups/count')) as Record<string, number>;
  expect(Object.keys(counts).length).toBeGreaterThan(0);
  for (const count of Object.values(counts)) expect(count).toBe(0);
});

it('each format is answered as without it, inline or by reference, and stated bounds still decide', async () => {
  expect(await get('/stats')).toEqual({
    users: 0,
    sessions: 0,
    ratio: 0,
    load: 0,
    atLeastFive: 5,
    atMostMinusThree: -3,
    ranked: { position: 0 },
  });
});

it('the runner finds every answer conforming', async () => {
  const run = await runConformance(['--spec', FIXTURE, '--base-url', baseUrl, '--seed', '7']);
  expect(run.code, `${run.describe()}\n${summarize(run.report)}`).toBe(0);
});
