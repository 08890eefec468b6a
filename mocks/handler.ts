/**
 * One request to one operation, in the order a real API answers: credentials (401), rate limit
 * (429), parameters and body (400/422), then either the client's chosen scenario or state, with
 * Prism producing the documented response.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from '../lib/json.js';
import type { Operation } from '../lib/spec.js';
import type { ValidatorCache } from '../lib/validator.js';
import type { MockApi } from './api.js';
import type { RawBody } from './http-body.js';
import { isForced, type Preferences, readPreferences } from './prefer.js';
import { type EngineRequest, isRefusal, type MockScenario } from './prism-engine.js';
import { rateLimitHeaders, rateLimitReply } from './rate-limit-reply.js';
import { validateBody, validateParameters } from './request-validation.js';
import { errorReply, type Reply, validationStatus } from './responses.js';
import { checkCredentials } from './security.js';
import { type DocumentedScenario, planCreate, planUpdate, type StateDecision } from './state/resources.js';

export interface OperationRequest {
  api: MockApi;
  operation: Operation;
  pathParameters: Record<string, string>;
  /** The path inside the API, e.g. `/v1/contactGroups/12`. */
  operationPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: RawBody;
}

export interface HandlerOptions {
  stateless: boolean;
  dynamic: boolean;
  validators: ValidatorCache;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
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
    return {
      status: response.status,
      headers: { 'content-type': 'application/problem+json' },
      body: { type: 'about:blank', title: response.title, status: response.status, detail: response.detail },
    };
  }
  return { status: response.status, headers: response.headers, body: response.body };
}

function scenarioFrom(preferences: Preferences, dynamic: boolean): MockScenario | string {
  const scenario: MockScenario = { dynamic: preferences.dynamic ?? dynamic };
  if (preferences.code !== undefined) {
    if (!/^\d{3}$/.test(preferences.code))
      return `Prefer code must be a three-digit HTTP status, got "${preferences.code}"`;
    scenario.code = Number(preferences.code);
  }
  if (preferences.example !== undefined) scenario.exampleKey = preferences.example;
  return scenario;
}

function decide(request: OperationRequest, body: unknown, validators: ValidatorCache): StateDecision | undefined {
  const binding = request.api.bindings.get(request.operation.operationId);
  if (!binding) return undefined;
  const collection = request.api.store.collection(binding.resource.collection);
  const incoming = isObject(body) ? body : {};
  return binding.resource.action === 'create'
    ? planCreate(binding, collection, incoming, validators)
    : planUpdate(binding, collection, request.pathParameters, incoming);
}

/** Stateless, a create still answers with its created status (Prism alone would pick the lowest 2xx, a merge's 200). */
function createdScenario(request: OperationRequest): DocumentedScenario | undefined {
  const status = request.api.bindings.get(request.operation.operationId)?.createdStatus;
  return status !== undefined ? { status } : undefined;
}

const invalidPrefer = (detail: string): Reply => ({
  status: 422,
  headers: { 'content-type': 'application/problem+json' },
  body: { type: 'about:blank', title: 'Invalid Prefer header', status: 422, detail },
});

/** The documented answer to a valid request: the state's verdict, or Prism's response overlaid by the state. */
async function answer(request: OperationRequest, body: unknown, options: HandlerOptions): Promise<Reply> {
  const preferences = readPreferences(
    typeof request.headers.prefer === 'string' ? request.headers.prefer : undefined,
    request.query,
  );
  const scenario = scenarioFrom(preferences, options.dynamic);
  if (typeof scenario === 'string') return invalidPrefer(scenario);
  if (isForced(preferences)) return fromPrism(request, body, scenario);

  const decision = options.stateless ? undefined : decide(request, body, options.validators);
  if (decision?.kind === 'reject') {
    return errorReply(request.operation, decision.status, {
      violations: decision.violations,
      ...(decision.example !== undefined ? { example: decision.example } : {}),
      ...(decision.message !== undefined ? { message: decision.message } : {}),
    });
  }
  const chosen = decision ? decision.scenario : createdScenario(request);
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
  if (decision && reply.status >= 200 && reply.status < 300) reply.body = decision.finish(reply.body);
  return reply;
}

export async function handleOperation(request: OperationRequest, options: HandlerOptions): Promise<Reply> {
  const { api, operation } = request;
  const credentials = checkCredentials(operation, request.headers, request.query);
  if (!credentials.ok) return errorReply(operation, '401', { hints: [credentials.missing ? 'missing' : 'invalid'] });

  let quota: { limit: number; remaining: number } | undefined;
  if (api.rateLimit) {
    const { rule, limiter } = api.rateLimit;
    const admission = limiter.admit(rule.scope === 'credential' ? credentials.credential : '*');
    if (!admission.ok) return rateLimitReply(operation, rule, admission.retryAfter);
    quota = { limit: rule.limit, remaining: admission.remaining };
  }

  const parts = { path: request.pathParameters, query: request.query, headers: request.headers };
  const parameterViolations = validateParameters(operation, parts, options.validators);
  if (parameterViolations.length > 0)
    return errorReply(operation, validationStatus(operation, parameterViolations), { violations: parameterViolations });
  const body = validateBody(operation, request.body, request.headers['content-type'], options.validators);
  if (!body.ok)
    return errorReply(operation, validationStatus(operation, body.violations), { violations: body.violations });

  const reply = await answer(request, body.body, options);
  if (quota)
    Object.assign(reply.headers, rateLimitHeaders(operation, String(reply.status), quota.limit, quota.remaining));
  return reply;
}
