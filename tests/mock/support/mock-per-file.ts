/**
 * One mock for a test file, started before its tests on a free port, emptied before each test and
 * closed after the last: `const mock = mockPerFile({ rateLimit: false })`, then `mock.client.call(...)`.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type MockOptions, type RunningMock, startMock } from '../../../mocks/server.js';
import { MockClient } from './mock-client.js';

export interface MockFixture {
  readonly client: MockClient;
}

export function mockPerFile(options: MockOptions = {}): MockFixture {
  let running: RunningMock | undefined;
  let client: MockClient | undefined;
  beforeAll(async () => {
    running = await startMock({ port: 0, ...options });
    client = await MockClient.connect(running);
  });
  beforeEach(() => client!.reset());
  afterAll(() => running?.close());
  return {
    get client(): MockClient {
      if (!client) throw new Error('the mock is started before the first test');
      return client;
    },
  };
}
