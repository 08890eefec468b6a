/**
 * Deliberately faulty variants of the reference server. Each fault overrides ONE behaviour of the
 * reference implementation and is mapped to the ONE runner check that must flag it (and nothing
 * else). HARDNESS_FAULTS are network-level misbehaviours the runner must survive.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Exchange, easifyError, type Fault, hasNonAscii, type Reply, type SpecKey } from './reference-server.js';

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

export interface FaultCase {
  spec: SpecKey;
  fault: Fault;
  /** The one check that must flag the fault. */
  expected: CheckName;
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

const isCreate = (ex: Exchange) => ex.operation.resource?.action === 'create';
const isUpdate = (ex: Exchange) => ex.operation.resource?.action === 'update';
const withBody = (reply: Reply, change: (body: Record<string, unknown>) => void): Reply => {
  const body = structuredClone(reply.body) as Record<string, unknown>;
  change(body);
  return { ...reply, body };
};

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
      name: 'easify-create-answers-201',
      description: 'createContactGroup answers 201 Created where Easify documents 200',
      overrides: {
        finish: (next, reply, ex, s) => next(reply.status === 200 ? { ...reply, status: 201 } : reply, ex, s),
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
      description: 'the created segment id is a JSON number, where Eloqua sends a numeric string',
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
      name: 'bigchange-problem-as-plain-json',
      description: 'problem details are sent as application/json instead of application/problem+json',
      overrides: {
        finish: (next, reply, ex, s) =>
          next(reply.status >= 400 ? { ...reply, contentType: 'application/json' } : reply, ex, s),
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
        "422 bodies are {status:false, message, errors: []} instead of Laravel's {message, errors: {field: [..]}}",
      overrides: {
        finish: (next, reply, ex, s) =>
          next(
            reply.status === 422
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
      name: '8x8-401-not-vendor-format',
      description: 'the 401 body is {"error": "Unauthorized"} instead of {code, message, errorId, timestamp}',
      overrides: {
        authenticate: (next, ex, s) => {
          const reply = next(ex, s);
          return reply ? { ...reply, body: { error: 'Unauthorized' } } : undefined;
        },
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
    spec: 'eloqua',
    expected: 'error_format',
    fault: {
      name: 'eloqua-401-as-object',
      description: 'the 401 is {"message": "Not authenticated."} where Eloqua sends a JSON string',
      overrides: {
        authenticate: (next, ex, s) => {
          const reply = next(ex, s);
          return reply ? { ...reply, body: { message: reply.body } } : undefined;
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
      name: 'bigchange-accepts-long-name',
      description: 'a name longer than 50 characters is accepted (2xx)',
      rules: { nameMaxLength: undefined },
    },
  },
  {
    spec: '8x8',
    expected: 'negative_data_rejected',
    fault: {
      name: '8x8-accepts-any-country-length',
      description: 'a country that is not two characters long ("USA", "U") is accepted',
      overrides: {
        validateBody: (next, ex, s) => {
          const body = ex.body as { country?: unknown } | undefined;
          // Validate as if the country were a proper alpha-2 code; store what was sent.
          if (typeof body?.country === 'string' && body.country.length > 0) {
            const verdict = next({ ...ex, body: { ...body, country: 'US' } }, s);
            return verdict;
          }
          return next(ex, s);
        },
      },
    },
  },
  // ---------------------------------------------------------------- positive_data_accepted
  {
    spec: 'bigchange',
    expected: 'positive_data_accepted',
    fault: {
      name: 'bigchange-rejects-50-char-name',
      description: 'off by one: a 50-character name (the documented maximum) gets 422',
      rules: { nameMaxLength: 49 },
    },
  },
  {
    // Well-formed 429s (Retry-After and all) from the very first request: throttled long before the
    // documented 15 a minute, so the valid requests among the first 15 were refused.
    spec: 'easify',
    expected: 'positive_data_accepted',
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
          hasNonAscii(ex.body) ? { status: 500, body: 'There was an error processing the request.' } : next(ex, s),
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
      description: 'a second segment with the same name is created (201) instead of 400 NoDuplicatesRequirement',
      rules: { uniqueNames: false },
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
    rateLimit: { limit: 3, periodMs: 60_000 },
    fault: noRetryAfter('easify-429-without-retry-after'),
  },
  // ---------------------------------------------------------------- response_headers
  {
    // The same fault without the opt-in check: the ordinary cases outrun the documented limit (15 a
    // minute, so those 429s are legitimate and not judged as refusals), and the 429s they get lack
    // the documented required header.
    spec: 'easify',
    expected: 'response_headers',
    fault: noRetryAfter('easify-429-without-retry-after-default-checks'),
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
