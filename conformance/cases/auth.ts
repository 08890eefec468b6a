/** Requests without credentials and with credentials in a scheme the operation does not accept. */
import type { Operation } from '../../lib/spec.js';
import { type BuildContext, bodyMedia } from './context.js';
import { credentialHeaderNames, credentialQueryNames, requiresAuth, wrongSchemeAuthorization } from './credentials.js';
import { type Draft, validBody } from './positive.js';
import { baseRequest, payload, withBody } from './request.js';

export function authCases(ctx: BuildContext, operation: Operation): Draft[] {
  if (!requiresAuth(operation)) return [];
  const validPayload = (): ReturnType<typeof payload> | undefined =>
    bodyMedia(operation) ? payload(operation, validBody(ctx, operation)) : undefined;
  const names = credentialHeaderNames(operation);
  const drafts: Draft[] = [];

  const anonymous = withBody(baseRequest(ctx, operation), validPayload());
  for (const name of credentialQueryNames(operation)) delete anonymous.query[name];
  anonymous.omitHeaders = names;
  drafts.push({ operation, kind: 'auth', name: 'auth: no credentials', request: anonymous });

  const wrong = wrongSchemeAuthorization(operation);
  if (wrong) {
    const request = withBody(baseRequest(ctx, operation), validPayload());
    // Only a credential of the wrong scheme: no other alternative (an API key) may stand in for it.
    for (const name of credentialQueryNames(operation)) delete request.query[name];
    request.omitHeaders = names.filter((name) => name.toLowerCase() !== 'authorization');
    request.headers.Authorization = wrong;
    request.forceHeaders = ['Authorization'];
    drafts.push({ operation, kind: 'auth', name: `auth: wrong scheme (${wrong.split(' ')[0]})`, request });
  }
  return drafts;
}
