/**
 * conformance/http/preflight.ts: a connection made in time is not read as none when the process was
 * busy past the wait (another run planning in the same process).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { preflight } from '../../conformance/http/preflight.js';

const busy = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

it('a target that accepted the connection while the process was busy past the wait is reachable', async () => {
  const server = createServer((_request, response) => response.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const asked = preflight(new URL(`http://127.0.0.1:${port}`), 50);
    // Once the connection is under way, the process is held for longer than the wait.
    setImmediate(() => busy(300));
    await expect(asked).resolves.toBeUndefined();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

it('a port nothing listens on is still refused at once', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  await expect(preflight(new URL(`http://127.0.0.1:${port}`), 50)).rejects.toThrow(
    `cannot reach http://127.0.0.1:${port}: connection refused`,
  );
});
