/** The valid request of an operation, which every case starts from and changes one thing in. */
import type { JsonSchema } from '../../lib/json-schema.js';
import type { Operation, Parameter } from '../../lib/spec.js';
import { coerceText, parameterText } from '../../lib/wire.js';
import { sampleValue } from '../generators/values.js';
import type { LinkedValue, PlannedBody, PlannedRequest } from '../types.js';
import { type BuildContext, jsonBody } from './context.js';
import { credentials } from './credentials.js';

/** How a parameter value travels: as text in a path, query or header. */
export const wireText = parameterText;

/** The value a server reads back from the wire text, for re-validating parameter cases. */
export const fromWire = (text: string, schema: JsonSchema): unknown => coerceText(text, schema);

function parameterValue(parameter: Parameter, seed: number): string {
  return wireText(parameter.example ?? sampleValue(parameter.schema, seed));
}

function linkedParameter(ctx: BuildContext, operation: Operation, name: string): LinkedValue | undefined {
  return ctx.links.get(operation.operationId)?.get(name);
}

export function jsonPayload(operation: Operation, value: unknown): PlannedBody {
  return { kind: 'json', value, contentType: jsonBody(operation)?.mediaType ?? 'application/json' };
}

/** Parameters and credentials of a valid request; the body is added by each case. */
export function baseRequest(ctx: BuildContext, operation: Operation): PlannedRequest {
  const auth = credentials(operation, ctx.nonce);
  const request: PlannedRequest = {
    pathParams: {},
    query: { ...auth.query },
    headers: { ...auth.headers },
    omitHeaders: [],
    forceHeaders: [],
  };
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path')
      request.pathParams[parameter.name] =
        linkedParameter(ctx, operation, parameter.name) ?? parameterValue(parameter, ctx.seed);
    else if (parameter.in === 'query' && parameter.required)
      request.query[parameter.name] = parameterValue(parameter, ctx.seed);
    else if (parameter.in === 'header' && parameter.required)
      request.headers[parameter.name] = parameterValue(parameter, ctx.seed);
  }
  return request;
}

export function withBody(request: PlannedRequest, body: PlannedBody | undefined): PlannedRequest {
  const copy: PlannedRequest = {
    ...request,
    pathParams: { ...request.pathParams },
    query: { ...request.query },
    headers: { ...request.headers },
  };
  if (body) copy.body = body;
  else delete copy.body;
  return copy;
}
