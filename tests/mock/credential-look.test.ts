/**
 * A credential the vendor says must look a certain way (`x-credential`): Eloqua's Basic user is
 * `site\user`, so the mock refuses `user:password` with Eloqua's 401, as Eloqua would, and takes
 * any credential of that look, as Prism takes any credential.
 */
import { describe, expect, it } from 'vitest';
import { mockPerFile } from './support/mock-per-file.js';

const mock = mockPerFile({ rateLimit: false });
const basic = (pair: string) => ({ authorization: `Basic ${Buffer.from(pair).toString('base64')}` });

describe("Eloqua's Basic credential", () => {
  it('without its site is refused with the 401; with one, and any password, it is taken', async () => {
    const bare = await mock.client.call('eloqua', 'listContactSegments', { headers: basic('ada:pw') });
    expect(bare.status).toBe(401);
    const sited = await mock.client.call('eloqua', 'listContactSegments', { headers: basic('acme\\ada:anything') });
    expect(sited.status).toBe(200);
    // A bearer token has no stated look: any is taken.
    const bearer = await mock.client.call('eloqua', 'listContactSegments', { headers: { authorization: 'Bearer t' } });
    expect(bearer.status).toBe(200);
  });
});
