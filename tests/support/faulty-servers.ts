/**
 * Deliberately faulty variants of the reference server. Each fault in FAULTS overrides ONE behaviour
 * of the reference implementation, breaks a rule the vendor documents, and is mapped to the ONE
 * runner check that must flag it (and nothing else). Each fault in ASSUMPTION_FAULTS breaks only
 * rules we inferred (`x-inferred`): the runner must pass it and report exactly the assumptions it
 * refutes. HARDNESS are network-level misbehaviours the runner must survive.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorObject } from 'ajv';
import { documentedResponse } from '../../lib/responses.js';
import {
  type Exchange,
  easifyError,
  type Fault,
  hasNonAscii,
  type Reply,
  type ServerState,
  type SpecKey,
} from './reference-server.js';

export type CheckName =
  | 'not_a_server_error'
  | 'status_code_documented'
  | 'positive_data_accepted'
  | 'negative_data_rejected'
  | 'response_schema'
  | 'content_type'
  | 'error_format'
  | 'response_headers'
  | 'ignored_auth'
  | 'missing_required_header'
  | 'resource_availability'
  | 'stateful_rules'
  | 'rate_limit';

/** Every check of the runner, in the order; rate_limit is opt-in. */
export const ALL_CHECKS: readonly CheckName[] = [
  'not_a_server_error',
  'status_code_documented',
  'positive_data_accepted',
  'negative_data_rejected',
  'response_schema',
  'content_type',
  'error_format',
  'response_headers',
  'ignored_auth',
  'missing_required_header',
  'resource_availability',
  'stateful_rules',
  'rate_limit',
];

/** An assumption of a spec, as the JSON report names it. */
export interface AssumptionKey {
  pointer: string;
  keyword: string;
}

interface Target {
  spec: SpecKey;
  fault: Fault;
  /** Runner arguments this fault needs (e.g. enabling the opt-in rate_limit check). */
  args?: string[];
  /** Server options: a small rate limit for the rate-limit faults. */
  rateLimit?: { limit: number; periodMs: number } | false;
  /**
   * Run on the runner's own credentials (no Authorization given): only then can it prove a throttle
   * premature, since no request outside the run can have used their quota.
   */
  ownCredentials?: boolean;
}

export interface FaultCase extends Target {
  /** The one check that must flag the fault. */
  expected: CheckName;
  /** Checks that must flag it too, where the fault reaches cases of theirs (a throttle reaches every case). */
  alsoExpected?: CheckName[];
  /** When set, the cases that must flag it (a lifecycle fault is the lifecycle's to find). */
  cases?: RegExp;
}

export interface AssumptionFaultCase extends Target {
  /** Exactly the assumptions the run must report refuted. */
  refutes: AssumptionKey[];
}

/** Where the spec's operations and shared nodes are, as JSON pointers. */
export const AT = {
  easify: '/paths/~1contact-groups~1create/post',
  '8x8': '/paths/~1api~1v1~1accounts~1{accountId}~1contacts/post',
  eloqua: '/paths/~1api~1REST~12.0~1assets~1contact~1segment/post',
  bigchangeCreate: '/paths/~1v1~1contactGroups/post',
  bigchangeUpdate: '/paths/~1v1~1contactGroups~1{contactGroupId}/patch',
  easifyGroups: '/paths/~1contact-groups/get',
  easifyContacts: '/paths/~1contacts/get',
} as const;

/**
 * A window far longer than any run: once the run has sent its 15 requests on a credential, the
 * next ones are throttled however slowly the machine sends them.
 */
export const LONG_WINDOW = { limit: 15, periodMs: 600_000 } as const;

const isCreate = (ex: Exchange) => ex.operation.resource?.action === 'create';
/** Whether the vendor documents the operation's answer with this status, body included (no `x-inferred`). */
const documents = (ex: Exchange, status: number) => {
  const response = documentedResponse(ex.operation, status);
  return response !== undefined && response.inferred === undefined;
};
const isUpdate = (ex: Exchange) => ex.operation.resource?.action === 'update';
const withBody = (reply: Reply, change: (body: Record<string, unknown>) => void): Reply => {
  const body = structuredClone(reply.body) as Record<string, unknown>;
  change(body);
  return { ...reply, body };
};
const isObjectBody = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

type StoredEasifyContact = ServerState['easify']['contacts'] extends Map<number, infer C> ? C : never;

/** State a fault keeps per server (faults are shared by every server started with them). */
const faultState = new WeakMap<ServerState, Map<string, unknown>>();
function perServer<T>(server: ServerState, key: string, make: () => T): T {
  let all = faultState.get(server);
  if (!all) faultState.set(server, (all = new Map()));
  if (!all.has(key)) all.set(key, make());
  return all.get(key) as T;
}
const withoutBody = ({ body: _body, raw: _raw, contentType: _type, ...rest }: Reply): Reply => rest;

/** A server that does not see the errors `ignored` picks out (it lets that rule through). */
function ignoring(ignored: (error: ErrorObject, ex: Exchange) => boolean): Fault['overrides'] {
  return { bodyErrors: (next, ex, s) => next(ex, s).filter((e) => !ignored(e, ex)) };
}

function noRetryAfter(name: string): Fault {
  return {
    name,
    description: 'the 429 has no Retry-After header',
    overrides: {
      finish: (next, reply, ex, s) => {
        const done = next(reply, ex, s);
        if (done.status !== 429) return done;
        const { 'Retry-After': _dropped, ...headers } = done.headers ?? {};
        return { ...done, headers };
      },
    },
  };
}

/** Checks enabled for a run that includes the opt-in rate_limit check. */
export const WITH_RATE_LIMIT = ['--checks', ALL_CHECKS.join(',')];

export const FAULTS: FaultCase[] = [
  // ---------------------------------------------------------------- status_code_documented
  {
    spec: 'bigchange',
    expected: 'status_code_documented',
    fault: {
      name: 'bigchange-create-answers-200',
      description: 'createContactGroup answers 200 instead of the documented 201',
      overrides: {
        finish: (next, reply, ex, s) =>
          next(reply.status === 201 && isCreate(ex) ? { ...reply, status: 200 } : reply, ex, s),
      },
    },
  },
  {
    spec: 'easify',
    expected: 'status_code_documented',
    rateLimit: false,
    fault: {
      name: 'easify-validation-answers-400',
      description:
        "an invalid body of a create gets 400, which Easify does not document for its creates, instead of Laravel's 422",
      overrides: {
        validateBody: (next, ex, s, errors) => {
          const reply = next(ex, s, errors);
          return reply && !documentedResponse(ex.operation, 400) ? { ...reply, status: 400 } : reply;
        },
      },
    },
  },
  // ---------------------------------------------------------------- response_schema
  {
    spec: 'easify',
    expected: 'response_schema',
    rateLimit: false,
    fault: {
      name: 'easify-contacts-count-as-string',
      description: 'data.contacts_count is the string "0" instead of an integer',
      overrides: {
        handle: (next, ex, s) => {
          const reply = next(ex, s);
          return reply.status === 200
            ? withBody(reply, (b) => ((b.data as Record<string, unknown>).contacts_count = '0'))
            : reply;
        },
      },
    },
  },
  {
    spec: 'eloqua',
    expected: 'response_schema',
    fault: {
      name: 'eloqua-id-as-number',
      description: 'the created segment id is a JSON number, where Oracle defines a string',
      overrides: {
        handle: (next, ex, s) => {
          const reply = next(ex, s);
          return reply.status === 201 ? withBody(reply, (b) => (b.id = Number(b.id))) : reply;
        },
      },
    },
  },
  {
    spec: '8x8',
    expected: 'response_schema',
    fault: {
      name: '8x8-merged-without-addresses',
      description: 'the 200 merged contact leaves out the required addresses',
      overrides: {
        handle: (next, ex, s) => {
          const reply = next(ex, s);
          return reply.status === 200 ? withBody(reply, (b) => delete b.addresses) : reply;
        },
      },
    },
  },
  // ---------------------------------------------------------------- content_type
  {
    spec: 'eloqua',
    expected: 'content_type',
    fault: {
      name: 'eloqua-created-as-text-plain',
      description: 'the 201 body is JSON but sent as text/plain',
      overrides: {
        finish: (next, reply, ex, s) =>
          next(reply.status === 201 ? { ...reply, contentType: 'text/plain; charset=utf-8' } : reply, ex, s),
      },
    },
  },
  {
    spec: 'bigchange',
    expected: 'content_type',
    fault: {
      name: 'bigchange-problem-as-text-plain',
      description: 'the documented problem details (400, 404, 422) are JSON but sent as text/plain',
      overrides: {
        finish: (next, reply, ex, s) =>
          next([400, 404, 422].includes(reply.status) ? { ...reply, contentType: 'text/plain' } : reply, ex, s),
      },
    },
  },
  {
    spec: '8x8',
    expected: 'content_type',
    fault: {
      name: '8x8-created-as-text-plain',
      description: 'the 201 contact is JSON but sent as text/plain',
      overrides: {
        finish: (next, reply, ex, s) =>
          next(reply.status === 201 ? { ...reply, contentType: 'text/plain' } : reply, ex, s),
      },
    },
  },
  // ---------------------------------------------------------------- error_format
  {
    spec: 'easify',
    expected: 'error_format',
    rateLimit: false,
    fault: {
      name: 'easify-422-not-laravel',
      description:
        "the 422 bodies Easify documents are {status:false, message, errors: []} instead of Laravel's {message, errors: {field: [..]}}",
      overrides: {
        finish: (next, reply, ex, s) =>
          next(
            reply.status === 422 && documents(ex, 422)
              ? { ...reply, body: { status: false, message: (reply.body as { message: string }).message, errors: [] } }
              : reply,
            ex,
            s,
          ),
      },
    },
  },
  {
    spec: 'bigchange',
    expected: 'error_format',
    fault: {
      name: 'bigchange-422-status-member-400',
      description: 'the 422 problem details carry "status": 400',
      overrides: {
        finish: (next, reply, ex, s) =>
          next(reply.status === 422 ? withBody(reply, (b) => (b.status = 400)) : reply, ex, s),
      },
    },
  },
  {
    spec: '8x8',
    expected: 'error_format',
    fault: {
      name: '8x8-409-not-vendor-format',
      description: 'the 409 body is {"error": "Conflict"} instead of 8x8\'s {code, message, errorId, timestamp}',
      overrides: {
        finish: (next, reply, ex, s) =>
          next(reply.status === 409 ? { ...reply, body: { error: 'Conflict' } } : reply, ex, s),
      },
    },
  },
  {
    spec: '8x8',
    expected: 'error_format',
    fault: {
      name: '8x8-error-id-not-uuid',
      description: 'the 400 errorId is "ERR-1002", not a UUID',
      overrides: {
        finish: (next, reply, ex, s) =>
          next(reply.status === 400 ? withBody(reply, (b) => (b.errorId = 'ERR-1002')) : reply, ex, s),
      },
    },
  },
  {
    spec: 'easify',
    expected: 'error_format',
    rateLimit: false,
    fault: {
      name: 'easify-401-status-true',
      description: 'the 401 error body says "status": true, where the pages show false on every error',
      overrides: {
        authenticate: (next, ex, s) => {
          const reply = next(ex, s);
          // Only where the page shows the 401: elsewhere its body is our assumption.
          return reply && documents(ex, 401) ? withBody(reply, (b) => (b.status = true)) : reply;
        },
      },
    },
  },
  // ---------------------------------------------------------------- ignored_auth
  {
    spec: '8x8',
    expected: 'ignored_auth',
    fault: {
      name: '8x8-ignores-auth',
      description: 'creates contacts without any credentials or with a wrong scheme',
      overrides: { authenticate: () => undefined },
    },
  },
  {
    spec: 'eloqua',
    expected: 'ignored_auth',
    fault: {
      name: 'eloqua-accepts-any-scheme',
      description: 'accepts any Authorization header at all, and none',
      overrides: { authenticate: () => undefined },
    },
  },
  {
    spec: 'easify',
    expected: 'ignored_auth',
    rateLimit: false,
    fault: {
      name: 'easify-accepts-any-scheme',
      description: 'any Authorization scheme is taken as a token (Basic too); only a missing header gets 401',
      overrides: { authenticate: (next, ex, s) => (ex.headers.authorization ? undefined : next(ex, s)) },
    },
  },
  // ---------------------------------------------------------------- negative_data_rejected
  {
    spec: 'bigchange',
    expected: 'negative_data_rejected',
    fault: {
      name: 'bigchange-update-without-values',
      description: 'an update that provides no value ({} or only unknown properties) is accepted (204)',
      overrides: ignoring(
        (e, ex) => isUpdate(ex) && e.instancePath === '' && (e.keyword === 'anyOf' || e.keyword === 'required'),
      ),
    },
  },
  {
    spec: '8x8',
    expected: 'negative_data_rejected',
    fault: {
      name: '8x8-accepts-any-country-length',
      description: 'a country that is not two characters long ("USA", "U") is accepted',
      overrides: ignoring(
        (e) => e.instancePath === '/country' && (e.keyword === 'minLength' || e.keyword === 'maxLength'),
      ),
    },
  },
  {
    spec: '8x8',
    expected: 'negative_data_rejected',
    fault: {
      name: '8x8-accepts-invalid-msisdn',
      description: "an msisdn that breaks 8x8's own pattern is stored as it is",
      overrides: ignoring((e) => e.instancePath === '/addresses/msisdn' && e.keyword === 'pattern'),
    },
  },
  // ---------------------------------------------------------------- positive_data_accepted
  {
    spec: '8x8',
    expected: 'positive_data_accepted',
    fault: {
      name: '8x8-rejects-200-char-first-name',
      description: "off by one: a 200-character firstName (8x8's documented maximum) gets 400",
      overrides: {
        bodyErrors: (next, ex, s) => {
          const errors = next(ex, s);
          const name = (ex.body as { firstName?: unknown } | undefined)?.firstName;
          if (typeof name !== 'string' || [...name].length < 200) return errors;
          const tooLong = { instancePath: '/firstName', keyword: 'maxLength', params: { limit: 199 }, schemaPath: '' };
          return [...errors, { ...tooLong, message: 'must NOT have more than 199 characters' } as ErrorObject];
        },
      },
    },
  },
  {
    // Well-formed 429s (Retry-After and all) from the very first request: throttled long before the
    // documented 15 a minute, so the valid requests among the first 15 were refused.
    spec: 'easify',
    expected: 'positive_data_accepted',
    // The run waits out each 429 before it sends more, so the unknown-id steps are throttled early too.
    alsoExpected: ['resource_availability'],
    rateLimit: false,
    ownCredentials: true,
    fault: {
      name: 'easify-throttles-everything',
      description: 'every authenticated request is answered 429 with Retry-After, whatever the rate',
      overrides: {
        rateLimit: (_next, ex) => {
          const reply = easifyError(429, 'Too many requests. Try again in 60 seconds');
          ex.limitHeaders = { 'X-RateLimit-Limit': 15, 'X-RateLimit-Remaining': 0 };
          reply.headers = { 'Retry-After': 60, ...ex.limitHeaders };
          return reply;
        },
      },
    },
  },
  // ---------------------------------------------------------------- not_a_server_error
  {
    spec: 'eloqua',
    expected: 'not_a_server_error',
    fault: {
      name: 'eloqua-500-on-non-ascii',
      description: 'a valid body with non-ASCII text gets the documented 500',
      overrides: {
        handle: (next, ex, s) =>
          hasNonAscii(ex.body) ? { status: 500, body: 'The service has encountered an error.' } : next(ex, s),
      },
    },
  },
  // ---------------------------------------------------------------- missing_required_header
  {
    spec: 'bigchange',
    expected: 'missing_required_header',
    fault: {
      name: 'bigchange-customer-id-optional',
      description: 'a request without the required Customer-Id header is processed (2xx)',
      overrides: {
        requiredHeaders: (next, ex, s) => (ex.headers['customer-id'] === undefined ? undefined : next(ex, s)),
      },
    },
  },
  // ---------------------------------------------------------------- resource_availability
  {
    spec: 'bigchange',
    expected: 'resource_availability',
    fault: {
      name: 'bigchange-patch-unknown-id-204',
      description: 'PATCH of an id that was never created answers 204 instead of 404',
      overrides: {
        handle: (next, ex, s) => {
          const reply = next(ex, s);
          return isUpdate(ex) && reply.status === 404 ? { status: 204 } : reply;
        },
      },
    },
  },
  {
    spec: 'bigchange',
    expected: 'resource_availability',
    fault: {
      name: 'bigchange-created-id-not-found',
      description: 'PATCH of an id the create just returned answers 404',
      overrides: {
        handle: (next, ex, s) =>
          isUpdate(ex)
            ? {
                status: 404,
                contentType: 'application/problem+json',
                body: {
                  type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5',
                  title: 'Not Found',
                  status: 404,
                  detail: `Contact group ${ex.pathParams.contactGroupId} was not found.`,
                },
              }
            : next(ex, s),
      },
    },
  },
  // ---------------------------------------------------------------- stateful_rules
  {
    spec: '8x8',
    expected: 'stateful_rules',
    fault: {
      name: '8x8-never-merges',
      description: 'a contact whose address matches stored contacts is always created anew (201)',
      rules: { merge: 'never' },
    },
  },
  {
    spec: '8x8',
    expected: 'stateful_rules',
    fault: {
      name: '8x8-merge-answers-409',
      description: 'a contact matching exactly one stored contact gets 409 instead of 200 merged',
      rules: { merge: 'always-conflict' },
    },
  },
  {
    spec: 'easify',
    expected: 'stateful_rules',
    rateLimit: false,
    fault: {
      name: 'easify-accepts-duplicate-name',
      description: 'a second group with the same name is created (200) instead of 422',
      rules: { uniqueNames: false },
    },
  },
  {
    spec: 'eloqua',
    expected: 'stateful_rules',
    fault: {
      name: 'eloqua-accepts-duplicate-name',
      description: 'a second segment with the same name is created (201) instead of 400 UniquenessRequirement',
      rules: { uniqueNames: false },
    },
  },
  // ---------------------------------------------------------------- a record's lifecycle
  {
    spec: 'eloqua',
    expected: 'resource_availability',
    cases: /^lifecycle: getContactSegment the deleted record$/,
    fault: {
      name: 'eloqua-deleted-segment-still-readable',
      description: 'a deleted segment is gone from the list and cannot be updated, but its read still answers 200',
      overrides: {
        handle: (next, ex, s) => {
          const id = Number(ex.pathParams.id);
          const deleted = perServer(s, 'eloqua-deleted-segment-still-readable', () => new Map<number, unknown>());
          const before = s.eloqua.segments.get(id);
          const reply = next(ex, s);
          if (ex.operation.operationId === 'deleteContactSegment' && reply.status === 200) deleted.set(id, before);
          if (ex.operation.operationId === 'getContactSegment' && reply.status === 404 && deleted.has(id))
            return { status: 200, body: deleted.get(id) };
          return reply;
        },
      },
    },
  },
  {
    spec: 'bigchange',
    expected: 'stateful_rules',
    cases: /^lifecycle: listContactGroups with the record$/,
    fault: {
      name: 'bigchange-list-misses-first-match',
      description:
        'the list starts one record late (an off-by-one offset): the first group that matches is never listed',
      overrides: {
        handle: (next, ex, s) => {
          const reply = next(ex, s);
          if (ex.operation.operationId !== 'listContactGroups' || reply.status !== 200) return reply;
          return withBody(reply, (b) => {
            b.items = (b.items as unknown[]).slice(1);
            b.pageItemCount = (b.items as unknown[]).length;
          });
        },
      },
    },
  },
  {
    spec: '8x8',
    expected: 'stateful_rules',
    cases: /^lifecycle: get(Contact|Group) the record after the update(Contact|Group)$/,
    fault: {
      name: '8x8-patch-ignores-last-operation',
      description: 'a JSON Patch is applied without its last operation (answered 200 as if it were applied whole)',
      overrides: {
        handle: (next, ex, s) => {
          if (isUpdate(ex) && Array.isArray(ex.body)) ex.body = ex.body.slice(0, -1);
          return next(ex, s);
        },
      },
    },
  },
  {
    spec: '8x8',
    expected: 'status_code_documented',
    cases: /^lifecycle: updateContact the deleted record$/,
    fault: {
      name: '8x8-update-of-deleted-contact-204',
      description:
        'a PATCH of a deleted contact answers 204, a status 8x8 does not document for the update, instead of 404',
      overrides: {
        handle: (next, ex, s) => {
          const deleted = perServer(s, '8x8-update-of-deleted-contact-204', () => new Set<string>());
          const id = ex.pathParams.contactId ?? '';
          if (ex.operation.operationId === 'updateContact' && deleted.has(id)) return { status: 204 };
          const reply = next(ex, s);
          if (ex.operation.operationId === 'deleteContact' && reply.status === 204) deleted.add(id);
          return reply;
        },
      },
    },
  },
  {
    spec: 'easify',
    expected: 'resource_availability',
    cases: /^lifecycle: updateContact the deleted record$/,
    rateLimit: false,
    fault: {
      name: 'easify-update-revives-deleted-contact',
      description:
        'an update of a deleted contact stores it again and answers 200, instead of 400 "Invalid contact id"',
      overrides: {
        handle: (next, ex, s) => {
          const deleted = perServer(
            s,
            'easify-update-revives-deleted-contact',
            () => new Map<number, StoredEasifyContact>(),
          );
          const id = Number(isObjectBody(ex.body) ? ex.body.contact_id : undefined);
          const before = s.easify.contacts.get(id);
          if (ex.operation.operationId === 'updateContact' && !before && deleted.has(id))
            s.easify.contacts.set(id, deleted.get(id)!);
          const reply = next(ex, s);
          if (ex.operation.operationId === 'deleteContact' && reply.status === 200 && before) deleted.set(id, before);
          return reply;
        },
      },
    },
  },
  // ---------------------------------------------------------------- rate_limit (opt-in)
  {
    spec: 'easify',
    expected: 'rate_limit',
    args: WITH_RATE_LIMIT,
    rateLimit: false,
    fault: {
      name: 'easify-never-rate-limits',
      description: 'no request is ever answered 429, whatever the rate',
      overrides: { rateLimit: () => undefined },
    },
  },
  {
    spec: 'easify',
    expected: 'rate_limit',
    args: ['--checks', 'rate_limit'],
    rateLimit: LONG_WINDOW,
    fault: {
      name: 'easify-429-retry-after-not-seconds',
      description: 'the 429 says Retry-After: soon, which is neither seconds nor an HTTP date (RFC 9110)',
      overrides: {
        finish: (next, reply, ex, s) => {
          const done = next(reply, ex, s);
          return done.status === 429 ? { ...done, headers: { ...done.headers, 'Retry-After': 'soon' } } : done;
        },
      },
    },
  },
];

/**
 * Faults that break only rules we inferred. Under the vendor's documented rules each server is
 * right, so the run passes (exit 0) and reports exactly the assumptions listed as refuted.
 */
export const ASSUMPTION_FAULTS: AssumptionFaultCase[] = [
  {
    spec: 'bigchange',
    // The pages describe the problem details, not their media type: plain JSON is within them.
    refutes: [
      { pointer: `${AT.bigchangeCreate}/responses/422`, keyword: 'mediaType' },
      { pointer: `${AT.bigchangeUpdate}/responses/404`, keyword: 'mediaType' },
      { pointer: `${AT.bigchangeUpdate}/responses/422`, keyword: 'mediaType' },
      { pointer: '/components/responses/BadRequest', keyword: 'mediaType' },
    ],
    fault: {
      name: 'bigchange-problem-as-plain-json',
      description:
        'the problem details (400, 404, 422) are sent as application/json, where ASP.NET Core would say application/problem+json',
      overrides: {
        finish: (next, reply, ex, s) =>
          next([400, 404, 422].includes(reply.status) ? { ...reply, contentType: 'application/json' } : reply, ex, s),
      },
    },
  },
  {
    spec: 'easify',
    rateLimit: false,
    refutes: [{ pointer: `${AT.easify}/responses/200`, keyword: 'response' }],
    fault: {
      name: 'easify-create-answers-201',
      description: "a created group is answered 201, where only Laravel's habit says 200 (the page shows no status)",
      overrides: {
        finish: (next, reply, ex, s) =>
          next(
            reply.status === 200 && ex.operation.operationId === 'createContactGroup'
              ? { ...reply, status: 201 }
              : reply,
            ex,
            s,
          ),
      },
    },
  },
  {
    spec: 'easify',
    rateLimit: false,
    refutes: [
      { pointer: `${AT.easifyGroups}/responses/422`, keyword: 'response' },
      { pointer: `${AT.easifyContacts}/responses/422`, keyword: 'response' },
    ],
    fault: {
      name: 'easify-lists-read-past-malformed-parameters',
      description:
        "a list reads a malformed page, limit, order or group_id as absent, as Laravel's paginator reads a page (Easify documents no refusal)",
      overrides: {
        queryParameters: (next, ex, s) => {
          // The valid parameters are still read; the malformed ones are left out.
          const refusal = next(ex, s);
          return ex.operation.operationId === 'listContactGroups' || ex.operation.operationId === 'listContacts'
            ? undefined
            : refusal;
        },
      },
    },
  },
  {
    spec: 'easify',
    rateLimit: false,
    refutes: [{ pointer: '/components/schemas/CreateContactGroupRequest/properties/name', keyword: 'maxLength' }],
    fault: {
      name: 'easify-accepts-long-name',
      description: 'a name longer than 255 characters is accepted (the page gives no limit)',
      overrides: ignoring((e) => e.instancePath === '/name' && e.keyword === 'maxLength'),
    },
  },
  {
    spec: 'easify',
    args: ['--checks', 'rate_limit'],
    rateLimit: LONG_WINDOW,
    refutes: [{ pointer: `${AT.easify}/responses/429/headers/Retry-After`, keyword: 'required' }],
    fault: noRetryAfter('easify-429-without-retry-after'),
  },
  {
    // Without the opt-in check: the ordinary cases outrun the documented limit (the 429s are
    // legitimate and not judged as refusals), and response_headers judges the 429s they get.
    spec: 'easify',
    rateLimit: LONG_WINDOW,
    refutes: [
      { pointer: `${AT.easify}/responses/429/headers/Retry-After`, keyword: 'required' },
      { pointer: '/components/headers/Retry-After', keyword: 'required' },
    ],
    fault: noRetryAfter('easify-429-without-retry-after-default-checks'),
  },
  {
    spec: 'easify',
    rateLimit: LONG_WINDOW,
    refutes: [{ pointer: '/components/headers/X-RateLimit-Remaining/schema', keyword: 'type' }],
    fault: {
      name: 'easify-requests-left-in-words',
      description: 'X-RateLimit-Remaining says "some" (the page does not mention the header, let alone its type)',
      overrides: {
        finish: (next, reply, ex, s) => {
          const done = next(reply, ex, s);
          const headers = done.headers ?? {};
          return 'X-RateLimit-Remaining' in headers
            ? { ...done, headers: { ...headers, 'X-RateLimit-Remaining': 'some' } }
            : done;
        },
      },
    },
  },
  {
    spec: 'bigchange',
    refutes: [{ pointer: '/components/schemas/CreateContactGroup/properties/name', keyword: 'minLength' }],
    fault: {
      name: 'bigchange-accepts-empty-name',
      description: 'a group named "" is created (the pages state no bounds)',
      overrides: ignoring((e, ex) => isCreate(ex) && e.instancePath === '/name' && e.keyword === 'minLength'),
    },
  },
  {
    spec: 'bigchange',
    refutes: [{ pointer: '/components/responses/Unauthorized', keyword: 'content' }],
    fault: {
      name: 'bigchange-401-without-body',
      description: "the 401 has no body, as ASP.NET Core's bearer challenge sends it",
      overrides: {
        authenticate: (next, ex, s) => {
          const reply = next(ex, s);
          return reply ? withoutBody(reply) : undefined;
        },
      },
    },
  },
  {
    spec: '8x8',
    refutes: [
      { pointer: `${AT['8x8']}/responses/401`, keyword: 'content' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
    ],
    fault: {
      name: '8x8-401-not-vendor-format',
      description: 'the 401 body is {"error": "Unauthorized"}; 8x8 documents no 401, so no body either',
      overrides: {
        authenticate: (next, ex, s) => {
          const reply = next(ex, s);
          return reply ? { ...reply, body: { error: 'Unauthorized' } } : undefined;
        },
      },
    },
  },
  {
    spec: 'eloqua',
    refutes: [
      { pointer: `${AT.eloqua}/responses/401`, keyword: 'content' },
      { pointer: '/components/responses/Unauthorized', keyword: 'content' },
    ],
    fault: {
      name: 'eloqua-401-as-object',
      description: 'the 401 is {"message": "Not authenticated."}; Oracle documents the 401 without a body',
      overrides: {
        authenticate: (next, ex, s) => {
          const reply = next(ex, s);
          return reply ? { ...reply, body: { message: reply.body } } : undefined;
        },
      },
    },
  },
  {
    spec: 'eloqua',
    refutes: [
      { pointer: `${AT.eloqua}/responses/400`, keyword: 'content' },
      { pointer: '/components/responses/ValidationFailed', keyword: 'content' },
      { pointer: '/components/responses/BadRequestMessage', keyword: 'content' },
    ],
    fault: {
      name: 'eloqua-400-without-body',
      description: 'every 400 (validation failures, duplicates, bad ids) comes without a body, as Oracle documents it',
      overrides: {
        finish: (next, reply, ex, s) => next(reply.status === 400 ? withoutBody(reply) : reply, ex, s),
      },
    },
  },
  {
    spec: 'eloqua',
    refutes: [{ pointer: '/components/schemas/Count', keyword: 'pattern' }],
    fault: {
      name: 'eloqua-count-not-digits',
      description: 'the created segment\'s count is "unknown": Oracle only says it is a string',
      overrides: {
        handle: (next, ex, s) => {
          const reply = next(ex, s);
          return reply.status === 201 ? withBody(reply, (b) => (b.count = 'unknown')) : reply;
        },
      },
    },
  },
  {
    spec: 'eloqua',
    refutes: [{ pointer: '/components/schemas/SegmentElement/properties/isIncluded', keyword: 'enum' }],
    fault: {
      name: 'eloqua-accepts-any-is-included',
      description: 'an element\'s isIncluded that is neither "true" nor "false" is stored as it is',
      overrides: ignoring((e) => /^\/elements\/\d+\/isIncluded$/.test(e.instancePath) && e.keyword === 'enum'),
    },
  },
];

// -------------------------------------------------------------------------------------------------
// Network-level misbehaviour: each must be a failure of the case, never a crash or a hang.
// -------------------------------------------------------------------------------------------------

export interface HardnessCase {
  name: string;
  description: string;
  fault: Fault;
  /** What the failure's message must say. */
  message: RegExp;
  /** Extra runner arguments (a short --timeout for the hang). */
  args?: string[];
}

/** Misbehave on the first `times` requests to the create operation, then behave. */
function firstCreates(times: number, act: (req: IncomingMessage, res: ServerResponse) => void): Fault['socket'] {
  let seen = 0;
  return (req, res, ex) => {
    if (!isCreate(ex) || seen >= times) return false;
    seen += 1;
    act(req, res);
    return true;
  };
}

export const HARDNESS: HardnessCase[] = [
  {
    name: 'connection-reset',
    message: /connection|reset|socket|closed/i,
    description: 'the connection is reset in the middle of the response body',
    fault: {
      name: 'connection-reset',
      description: 'RST mid-body',
      socket: firstCreates(2, (req, res) => {
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '64' });
        res.write('{"id": 10');
        setTimeout(() => req.socket.resetAndDestroy(), 20);
      }),
    },
  },
  {
    name: 'hang',
    message: /time(d)?[ -]?out/i,
    description: 'the server accepts the request and never answers',
    args: ['--timeout', '1500'],
    fault: { name: 'hang', description: 'never answers', socket: firstCreates(2, () => undefined) },
  },
  {
    name: 'non-json-body',
    message: /JSON/,
    description: 'a 201 declared application/json whose body is HTML',
    fault: {
      name: 'non-json-body',
      description: 'HTML body',
      socket: firstCreates(2, (_req, res) => {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end('<html><body>Created</body></html>');
      }),
    },
  },
  {
    name: 'huge-body',
    message: /large|size|limit|MB/i,
    description: 'a 201 whose body is 20 MB (a JSON array where an object is documented)',
    fault: {
      name: 'huge-body',
      description: '20 MB body',
      socket: firstCreates(1, (_req, res) => {
        // "[0,0,...,0]": valid JSON, 20 MB, and an array where the spec documents an object.
        const size = 20 * 1024 * 1024 + 1;
        const body = Buffer.alloc(size, ',0');
        body[0] = 0x5b; // [
        body[size - 1] = 0x5d; // ]
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': String(size) });
        res.end(body);
      }),
    },
  },
  {
    name: 'redirect',
    message: /302/,
    description: 'a 302 to another path instead of an answer',
    fault: {
      name: 'redirect',
      description: '302',
      socket: firstCreates(2, (_req, res) => {
        res.writeHead(302, { Location: '/elsewhere', 'Content-Length': '0' });
        res.end();
      }),
    },
  },
];

/**
 * Echoes the request's Authorization header in the message of its 400 answers, as careless debug
 * code does: a secret given with --header then comes back inside response bodies.
 */
export const ECHO_CREDENTIALS: Fault = {
  name: 'echo-credentials',
  description: 'the 400 message repeats the Authorization header',
  overrides: {
    finish: (next, reply, ex, s) => {
      const done = next(reply, ex, s);
      if (done.status !== 400 || typeof (done.body as { message?: unknown })?.message !== 'string') return done;
      const body = { ...(done.body as Record<string, unknown>) };
      body.message = `${String(body.message)} (request authorized as "${String(ex.headers.authorization ?? '')}")`;
      return { ...done, body };
    },
  },
};
