/**
 * Secrets stay out of every output however they are named: a header is secret when a secret word is
 * anywhere in its name (`AccessToken`, `X-AuthToken`, `Authentication`).
 */
import { expect, test } from 'vitest';
import { Redactor } from '../../conformance/redact.js';

test('a secret word anywhere in a header name makes it secret; ordinary headers stay readable', () => {
  const secretNames = [
    'AccessToken',
    'X-AuthToken',
    'Authentication',
    'Authorization',
    'X-Api-Key',
    'ApiKey',
    'X-Client-Secret',
    'X-Password',
    'Passwd',
    'SessionId',
    'Set-Cookie',
    'X-Credential',
    'X-Hub-Signature-256',
  ];
  const ordinary = ['Customer-Id', 'Content-Type', 'Accept', 'User-Agent', 'X-Request-Id', 'WWW-Authenticate'];
  const redactor = new Redactor([]);
  for (const name of secretNames) expect(redactor.headers({ [name]: 'v4lue' }), name).toEqual({ [name]: '***' });
  for (const name of ordinary) expect(redactor.headers({ [name]: 'v4lue' }), name).toEqual({ [name]: 'v4lue' });
});
