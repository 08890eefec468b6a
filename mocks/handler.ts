/**
 * One request to one operation, in the order a real API answers: credentials (401), rate limit
 * (429), parameters and body (400/422), then either the client's chosen scenario or state, with
 * Prism producing the documented response. Every answer the mock makes itself uses a status the
 * spec documents for the operation, and a successful answer is checked against its schema.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isJsonMediaType, isMediaRange, mediaTypeMatches } from '../lib/media-type.js';
import { problem } from '../lib/problem.js';
import { storedParents } from '../lib/resources.js';
import { documentedResponse, isBodiless, isSuccess, underRules } from '../lib/responses.js';
import { restCollections, templateKey } from '../lib/rest-shape.js';
import { flatten, mainType } from '../lib/schema.js';
import type { Operation } from '../lib/spec.js';
import type { RuleSet, ValidatorCache } from '../lib/validator.js';
import { hasWriteOnly, withoutWriteOnly } from '../lib/write-only.js';
import { apiUrl, type MockApi } from './api.js';
import { blend, type StoredView } from './fit.js';
import type { RawBody } from './http-body.js';
import { isForced, type Preferences, readPreferences } from './prefer.js';
import { type EngineRequest, isRefusal, type MockScenario } from './prism-engine.js';
import { rateLimitHeaders, rateLimitReply } from './rate-limit-reply.js';
import { validateBody, validateParameters } from './request-validation.js';
import { causeOf, type ErrorContext, errorReply, labelFor, type Reply, validationStatuses } from './responses.js';
import type { OperationMatch } from './router.js';
import { sampleFrom } from './samples.js';
import { checkCredentials } from './security.js';
import { missingParent, planState, type StateDecision } from './state/resources.js';

export interface OperationRequest {
  api: MockApi;
  operation: Operation;
  /** Path parameters as the router matched them: still percent-encoded. */
  rawPathParameters: Record<string, string>;
  /** The same, decoded (what state uses for ids). */
  pathParameters: Record<string, string>;
  /** The path inside the API, e.g. `/v1/contactGroups/12`. */
  operationPath: string;
  /** The raw query string, without `?`. */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: RawBody;
  /** Other operations of this method and request path (`#` siblings), tried when this one refuses the request. */
  alternatives?: readonly OperationMatch[];
}

export interface HandlerOptions {
  stateless: boolean;
  dynamic: boolean;
  validators: ValidatorCache;
  /** `documented`: only the rules the vendors state (no `x-inferred` ones), and no body where they document none. */
  rules: RuleSet;
  /** The time (milliseconds) records are stamped with; tests inject one. */
  clock: () => number;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    result[key] = values.length === 1 ? values[0]! : values;
  }
  return result;
}

async function fromPrism(request: OperationRequest, body: unknown, scenario: MockScenario): Promise<Reply> {
  const engineRequest: EngineRequest = {
    method: request.operation.method,
    path: request.operationPath,
    query: queryObject(request.query),
    headers: flatHeaders(request.headers),
    body,
  };
  const response = await request.api.engine.respond(request.operation.operationId, engineRequest, scenario);
  if (isRefusal(response)) {
    return problem(response.status, response.title, response.detail);
  }
  return { status: response.status, headers: response.headers, body: response.body };
}

function scenarioFrom(preferences: Preferences, dynamic: boolean): MockScenario | string {
  const scenario: MockScenario = { dynamic: preferences.dynamic ?? dynamic };
  if (preferences.code !== undefined) {
    if (!/^\d{3}$/.test(preferences.code)) {
      return `Prefer code must be a three-digit HTTP status, got "${preferences.code}"`;
    }
    scenario.code = Number(preferences.code);
  }
  if (preferences.example !== undefined) scenario.exampleKey = preferences.example;
  return scenario;
}

const invalidPrefer = (detail: string): Reply => problem(422, 'Invalid Prefer header', detail);

/**
 * Every answer the mock sends fits the documented response for its status: an answer built from
 * stored data that breaks the schema falls back to Prism's, and one Prism made that breaks it (an
 * example that does not fit its own schema, a body missing where one is documented) is replaced by
 * a value made from the schema.
 */
function conforming(
  request: OperationRequest,
  reply: Reply,
  fallbacks: unknown[],
  options: HandlerOptions,
  stored?: StoredView,
): Reply {
  const response = documentedResponse(request.operation, reply.status);
  if (!response || response.content.length === 0 || isBodiless(reply.status)) return reply;
  if (underRules(response, options.rules).content.length === 0) return { ...reply, body: undefined };
  const declared = reply.headers['content-type'];
  const media =
    response.content.find((m) => declared !== undefined && mediaTypeMatches(m.mediaType, declared)) ??
    response.content[0]!;
  // Prism labels a body documented under a range with a type of its own choosing (text/plain for JSON).
  const label = labelFor(
    declared !== undefined && !isMediaRange(media.mediaType) ? declared : media.mediaType,
    media.schema,
  );
  const headers = { ...reply.headers, 'content-type': label };
  if (!media.schema || !isJsonMediaType(isMediaRange(media.mediaType) ? label : media.mediaType)) {
    return { ...reply, headers, body: reply.body ?? '' };
  }
  const schema = media.schema;
  const validate = options.validators.get(schema, options.rules, 'response');
  const shown = (body: unknown): Reply => ({
    ...reply,
    headers,
    body: hasWriteOnly(request.api.spec.source) ? withoutWriteOnly(body, schema) : body,
  });
  if (reply.body !== undefined && validate(reply.body)) return shown(reply.body);
  const made = () => sampleFrom(schema, reply.status);
  for (const candidate of [...fallbacks, made]) {
    const value = typeof candidate === 'function' ? candidate() : candidate;
    if (value === undefined || !validate(value)) continue;
    return shown(stored ? blend(value, reply.body, stored, validate) : value);
  }
  return { ...reply, headers };
}

/**
 * An example of another shape than its schema (ActiveCampaign's JSON written as a string) is no
 * example: the state fills a value made from the schema instead, so the answer shows the record.
 */
function shaped(operation: Operation, reply: Reply): unknown {
  const body = reply.body;
  if (body === undefined || (body !== null && typeof body === 'object')) return body;
  const schema = documentedResponse(operation, reply.status)?.content.find((m) => isJsonMediaType(m.mediaType))?.schema;
  if (!schema) return body;
  const type = mainType(flatten(schema));
  return type === 'object' || type === 'array' ? sampleFrom(schema, reply.status) : body;
}

/** The documented answer to a valid request: the state's verdict, or Prism's response overlaid by the state. */
async function answer(
  request: OperationRequest,
  body: unknown,
  parameters: Record<string, unknown>,
  options: HandlerOptions,
  errors: ErrorContext,
): Promise<Reply> {
  const preferences = readPreferences(
    typeof request.headers.prefer === 'string' ? request.headers.prefer : undefined,
    request.query,
  );
  const scenario = scenarioFrom(preferences, options.dynamic);
  if (typeof scenario === 'string') return invalidPrefer(scenario);
  // An operation that documents no response (allowed since 3.1) has nothing to serve: a valid
  // request gets an empty success, not Prism's 500.
  if (request.operation.responses.length === 0) return { status: 204, headers: {} };
  if (isForced(preferences)) return fromPrism(request, body, scenario);

  const binding = request.api.bindings.get(request.operation.operationId);
  let decision: StateDecision | undefined;
  if (!options.stateless) {
    const parents = storedParents(request.api.spec).get(request.operation.operationId);
    decision = missingParent(request.operation, parents, binding, request.api.store, {
      parameters,
      pathParameters: request.pathParameters,
    });
  }
  if (!decision && binding && !options.stateless) {
    decision = planState(binding, request.api.store, {
      body,
      pathParameters: request.pathParameters,
      parameters,
      query: request.query,
      url: `${apiUrl(request.api, request.headers.host)}${request.operationPath}`,
      generated: scenario.dynamic,
      now: options.clock(),
      validators: options.validators,
      rules: options.rules,
    });
  }
  if (decision?.kind === 'reject') {
    return errorReply(errors, {
      statuses: [decision.status],
      cause: decision.cause === 'not-found' ? 'not-found' : causeOf(decision.violations),
      violations: decision.violations,
      ...(decision.example !== undefined ? { example: decision.example } : {}),
      ...(decision.message !== undefined ? { message: decision.message } : {}),
      ...(decision.subject ? { subject: decision.subject } : {}),
    });
  }
  // Stateless, an operation still answers with its own success status (Prism alone would pick the lowest 2xx).
  const chosen =
    decision?.scenario ?? (binding?.successStatus !== undefined ? { status: binding.successStatus } : undefined);
  const reply = await fromPrism(
    request,
    body,
    chosen
      ? {
          ...scenario,
          code: Number(chosen.status),
          ...(chosen.example !== undefined ? { exampleKey: chosen.example } : {}),
        }
      : scenario,
  );
  if (!decision || !isSuccess(reply.status)) return conforming(request, reply, [], options);
  const unfinished = shaped(request.operation, reply);
  const finished = decision.finish(structuredClone(unfinished));
  const location = madeLocation(request, reply.status, decision.made?.id);
  const headers = location === undefined ? reply.headers : { ...reply.headers, location };
  // An answer documenting no body sends none, whatever the state made of the record.
  const documentsNone = (documentedResponse(request.operation, reply.status)?.content.length ?? 0) === 0;
  if (isBodiless(reply.status) || (unfinished === undefined && (finished === undefined || documentsNone)))
    return { ...reply, headers, body: undefined };
  const stored = binding && { record: binding.resource.record, idField: binding.idField };
  return conforming(request, { ...reply, headers, body: finished }, [unfinished], options, stored);
}

/**
 * Where a record a create stored is read, for an answer documenting a `Location` header or naming its
 * record by one alone (lib/rest-shape.ts): its item path under the create's (`POST /users` made
 * `/users/7`), when the spec has one; else undefined.
 */
function madeLocation(request: OperationRequest, status: number, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const headers = documentedResponse(request.operation, status)?.headers ?? [];
  const collection = restCollections(request.api.spec).find((c) => c.create === request.operation);
  if (!collection?.location && !headers.some((header) => header.name.toLowerCase() === 'location')) return undefined;
  // Records made under a parent and read at the top (`/teams/{id}` of `POST /orgs/{org}/teams`) are there.
  const flat =
    collection?.flatPath !== undefined && !collection.flatPath.includes('{') ? collection.flatPath : undefined;
  const item = templateKey(`${(flat ?? request.operation.path).replace(/\/+$/, '')}/{}`);
  if (!request.api.spec.operations.some((op) => templateKey(op.path) === item)) return undefined;
  const base = `${apiUrl(request.api, request.headers.host)}${flat ?? request.operationPath}`.replace(/\/+$/, '');
  return `${base}/${encodeURIComponent(id)}`;
}

/**
 * Of operations sharing a method and request path (`/conversations` and `/conversations#stream`,
 * told apart by `stream` in the body), the first that takes the request; the first listed when none does.
 * Each candidate is validated once: the chosen one's outcome is what the request is then judged by.
 */
async function chosen(request: OperationRequest, options: HandlerOptions): Promise<Chosen> {
  const candidates = [request, ...(request.alternatives ?? []).map((match) => ({ ...request, ...match }))];
  let first: Validated | undefined;
  for (const candidate of candidates) {
    const validated = await validate(candidate, options);
    first ??= validated;
    if (validated.body?.ok) return { request: candidate, validated };
  }
  return { request, validated: first! };
}

interface Validated {
  parameters: ReturnType<typeof validateParameters>;
  /** Read only when the parameters are valid: without it, the request is refused for them. */
  body?: Awaited<ReturnType<typeof validateBody>>;
}

interface Chosen {
  request: OperationRequest;
  validated?: Validated;
}

async function validate(request: OperationRequest, options: HandlerOptions): Promise<Validated> {
  const context = { spec: request.api.spec, validators: options.validators, rules: options.rules };
  const source = { path: request.rawPathParameters, query: request.rawQuery, headers: request.headers };
  const parameters = validateParameters(request.operation, source, context);
  if (parameters.violations.length > 0) return { parameters };
  const body = await validateBody(request.operation, request.body, request.headers['content-type'], context);
  return { parameters, body };
}

export async function handleOperation(given: OperationRequest, options: HandlerOptions): Promise<Reply> {
  const { request, validated }: Chosen = given.alternatives?.length ? await chosen(given, options) : { request: given };
  const { api, operation } = request;
  const errors: ErrorContext = { operation, engine: api.engine, validators: options.validators, rules: options.rules };
  const credentials = checkCredentials(operation, request.headers, request.query);
  if (!credentials.ok) {
    return errorReply(errors, {
      statuses: ['401', '403'],
      otherwise: 401,
      cause: credentials.missing ? 'missing-credentials' : 'invalid-credentials',
      message: credentials.missing ? 'No credentials were given' : 'The credentials are not of an accepted scheme',
    });
  }

  let quota: { limit: number; remaining: number } | undefined;
  if (api.rateLimit) {
    const { rule, limiter } = api.rateLimit;
    const admission = limiter.admit(rule.scope === 'credential' ? credentials.credential : '*');
    if (!admission.ok) return rateLimitReply(errors, rule, admission.retryAfter);
    quota = { limit: rule.limit, remaining: admission.remaining };
  }

  const { parameters, body } = validated ?? (await validate(request, options));
  if (!body) {
    return errorReply(errors, {
      statuses: validationStatuses(parameters.violations),
      cause: causeOf(parameters.violations),
      violations: parameters.violations,
    });
  }
  if (!body.ok) {
    return errorReply(errors, {
      statuses: body.violations.some((v) => v.cause === 'too-large')
        ? ['413', '400', '422']
        : body.violations.some((v) => v.cause === 'unsupported')
          ? ['415', '400', '422']
          : validationStatuses(body.violations),
      cause: causeOf(body.violations),
      violations: body.violations,
    });
  }

  const reply = await answer(request, body.body, parameters.values, options, errors);
  if (quota) {
    Object.assign(reply.headers, rateLimitHeaders(operation, String(reply.status), quota.limit, quota.remaining));
  }
  return reply;
}
