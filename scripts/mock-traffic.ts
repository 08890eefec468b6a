/**
 * Mixed traffic for the mock, shared by the load test (tests/mock/load.test.ts) and the soak script
 * (scripts/soak-mock.ts): many connections at once sending valid, duplicate, invalid, malformed,
 * oversized, wrongly typed and unauthenticated creates to the four APIs, tallied by kind and status,
 * with the creates the answers report counted so that they can be held against what is stored.
 */
import { Pool } from 'undici';

const ACCOUNT = '4f1f1e0c-6a7b-4d2e-9a41-2c0f1d8e7b35';

/** One API's create: where it is, the headers it needs, and what it answers when it stores a record. */
interface Target {
  api: string;
  collection: string;
  path: string;
  headers: Record<string, string>;
  /** The status of an answer that stored a new record (a merge or a refusal is another status). */
  created: number;
  valid(i: number): unknown;
  /** Another record's unique value (or merge key) when the API has one: a duplicate, a merge or a create. */
  duplicate?: (i: number) => unknown;
  invalid: unknown;
}

export const TARGETS: readonly Target[] = [
  {
    api: 'bigchange',
    collection: 'contactGroups',
    path: '/bigchange/v1/contactGroups',
    headers: { 'customer-id': '14532' },
    created: 201,
    valid: (i) => ({ name: `Load group ${i}` }),
    invalid: { name: '' },
  },
  {
    api: '8x8',
    collection: 'contacts',
    path: `/8x8/api/v1/accounts/${ACCOUNT}/contacts`,
    headers: {},
    created: 201,
    valid: (i) => ({ firstName: 'Load', addresses: { msisdn: `+4479${String(i).padStart(9, '0')}` } }),
    // A few shared phone numbers: the first of each is a create, the next ones merge into it.
    duplicate: (i) => ({ lastName: `L${i}`, addresses: { msisdn: `+4478${String(i % 5).padStart(9, '0')}` } }),
    invalid: { firstName: 'No address' },
  },
  {
    api: 'eloqua',
    collection: 'contactSegments',
    path: '/eloqua/api/REST/2.0/assets/contact/segment',
    headers: {},
    created: 201,
    valid: (i) => ({ name: `Load segment ${i}` }),
    duplicate: (i) => ({ name: `Shared segment ${i % 5}` }),
    invalid: { name: 5 },
  },
  {
    api: 'easify',
    collection: 'contactGroups',
    path: '/easify/api/v2/contact-groups/create',
    headers: {},
    created: 200,
    valid: (i) => ({ name: `Load group ${i}` }),
    duplicate: (i) => ({ name: `Shared group ${i % 5}` }),
    invalid: {},
  },
];

export const KINDS = [
  'valid',
  'duplicate',
  'invalid',
  'malformed',
  'oversized',
  'wrong-type',
  'unauthenticated',
] as const;
export type Kind = (typeof KINDS)[number];

/** Of every 100 requests: mostly valid creates, every other kind a few times, an oversized body once. */
const MIX: readonly (readonly [Kind, number])[] = [
  ['valid', 50],
  ['duplicate', 15],
  ['invalid', 10],
  ['malformed', 9],
  ['wrong-type', 5],
  ['unauthenticated', 10],
  ['oversized', 1],
];

function kindOf(i: number): Kind {
  let slot = i % 100;
  for (const [kind, share] of MIX) {
    if (slot < share) return kind;
    slot -= share;
  }
  return 'valid';
}

/** Just over the mock's 1 MiB cap, and otherwise a valid body. */
const OVERSIZED = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });

function build(i: number, kind: Kind, target: Target, token: string) {
  const headers: Record<string, string> = {
    ...target.headers,
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  };
  let body: string;
  switch (kind) {
    case 'valid':
      body = JSON.stringify(target.valid(i));
      break;
    case 'duplicate':
      body = JSON.stringify((target.duplicate ?? target.valid)(i));
      break;
    case 'invalid':
      body = JSON.stringify(target.invalid);
      break;
    case 'malformed':
      body = `{"name": "cut${i}`;
      break;
    case 'oversized':
      body = OVERSIZED;
      break;
    case 'wrong-type':
      headers['content-type'] = 'text/plain';
      body = JSON.stringify(target.valid(i));
      break;
    case 'unauthenticated':
      delete headers.authorization;
      body = JSON.stringify(target.valid(i));
      break;
  }
  return { headers, body };
}

export interface Tally {
  /** Requests that got an answer. */
  answered: number;
  /** Status -> count, all kinds together. */
  statuses: Map<number, number>;
  /** `kind status` -> count. */
  byKind: Map<string, number>;
  /** Answers with the status that says a record was stored, per API. */
  created: Map<string, number>;
  /** Requests that got no answer at all (refused, reset, timed out), with what happened. */
  failures: string[];
  /** The first few 5xx answers, as `api kind status body`. */
  serverErrors: string[];
}

export interface TrafficOptions {
  /** The mock's origin, `http://127.0.0.1:<port>`. */
  url: string;
  connections: number;
  /** Stop after this many requests, */
  requests?: number;
  /** or once this time (ms since `performance.now()`'s origin) has passed. */
  until?: number;
  /** Each request carries a credential of its own (default), or one of this many. */
  tokens?: number;
  /** Per request: no answer within this long is a failure (the default is undici's). */
  timeoutMs?: number;
  /** Called after every answer (progress). */
  onAnswer?: (tally: Tally) => void;
}

export function emptyTally(): Tally {
  return { answered: 0, statuses: new Map(), byKind: new Map(), created: new Map(), failures: [], serverErrors: [] };
}

const bump = <K>(map: Map<K, number>, key: K): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

/** Sends the mix on `connections` connections at once until the count or the time is reached. */
export async function sendTraffic(options: TrafficOptions, tally: Tally = emptyTally()): Promise<Tally> {
  const pool = new Pool(options.url, {
    connections: options.connections,
    ...(options.timeoutMs !== undefined ? { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs } : {}),
  });
  let next = 0;
  const more = (): boolean =>
    (options.requests === undefined || next < options.requests) &&
    (options.until === undefined || performance.now() < options.until);
  const worker = async (): Promise<void> => {
    while (more()) {
      const i = next++;
      const kind = kindOf(Math.floor(i / TARGETS.length));
      const target = TARGETS[i % TARGETS.length]!;
      const token = options.tokens === undefined ? `load-${i}` : `load-${i % options.tokens}`;
      const { headers, body } = build(i, kind, target, token);
      try {
        const response = await pool.request({ method: 'POST', path: target.path, headers, body });
        const text = await response.body.text();
        const status = response.statusCode;
        tally.answered++;
        bump(tally.statuses, status);
        bump(tally.byKind, `${kind} ${status}`);
        if (status === target.created) bump(tally.created, target.api);
        if (status >= 500 && tally.serverErrors.length < 10) {
          tally.serverErrors.push(`${target.api} ${kind} ${status} ${text.slice(0, 200)}`);
        }
        options.onAnswer?.(tally);
      } catch (error) {
        tally.failures.push(`${target.api} ${kind}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    await pool.close();
  }
  return tally;
}

/** Records stored per API in the collections the traffic creates in, as GET /__mock/state shows them. */
export async function storedCounts(url: string): Promise<Map<string, number>> {
  const pool = new Pool(url, { connections: 1 });
  try {
    const response = await pool.request({ method: 'GET', path: '/__mock/state' });
    if (response.statusCode !== 200) throw new Error(`GET /__mock/state answered ${response.statusCode}`);
    const state = (await response.body.json()) as Record<string, Record<string, unknown[]> | undefined>;
    return new Map(TARGETS.map((t) => [t.api, state[t.api]?.[t.collection]?.length ?? 0]));
  } finally {
    await pool.close();
  }
}

/** Reads each list once, so that every collection exists (seeded records included) before a count. */
export async function touchCollections(url: string): Promise<void> {
  const pool = new Pool(url, { connections: 1 });
  const headers = { authorization: 'Bearer touch', 'customer-id': '14532' };
  try {
    for (const path of [
      '/bigchange/v1/contactGroups',
      `/8x8/api/v1/accounts/${ACCOUNT}/contacts`,
      '/eloqua/api/REST/2.0/assets/contact/segments',
      '/easify/api/v2/contact-groups',
    ]) {
      const response = await pool.request({ method: 'GET', path, headers });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`GET ${path} answered ${response.statusCode}`);
    }
  } finally {
    await pool.close();
  }
}
