/** The valid request of an operation, which every case starts from and changes one thing in. */

import { sampleValue } from '../../lib/generators/values.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { isJsonMediaType, mediaTypeEssence } from '../../lib/media-type.js';
import type { Operation, Parameter } from '../../lib/spec.js';
import { coerceText, parameterText, serializeHeader } from '../../lib/wire.js';
import type { LinkedValue, PlannedBody, PlannedRequest, WireValue } from '../types.js';
import { type BuildContext, bodyMedia } from './context.js';
import { credentials } from './credentials.js';

/** How a primitive parameter value travels as text. */
export const wireText = parameterText;

/** The value a server reads back from the wire text, for re-validating parameter cases. */
export const fromWire = (text: string, schema: JsonSchema): unknown => coerceText(text, schema);

export const isLinked = (value: WireValue | LinkedValue): value is LinkedValue => 'sourceOperationId' in value;

/** A valid value for the parameter: its example, else one made from its schema. */
export function parameterValue(parameter: Parameter, seed: number): unknown {
  return parameter.example ?? sampleValue(parameter.schema, seed);
}

function linkedParameter(ctx: BuildContext, operation: Operation, name: string): LinkedValue | undefined {
  return ctx.links.get(operation.operationId)?.get(name);
}

/** The body of a case: a value the operation's media type encodes. */
export function payload(operation: Operation, value: unknown): PlannedBody {
  return { kind: 'value', value, mediaType: bodyMedia(operation)?.mediaType ?? 'application/json' };
}

/** Whether the case bodies are JSON (malformed-JSON cases only make sense then). */
export function sendsJson(operation: Operation): boolean {
  const media = bodyMedia(operation);
  return media !== undefined && isJsonMediaType(media.mediaType);
}

/** Whether the case bodies are forms (their values are texts on the wire). */
export function sendsForm(operation: Operation): boolean {
  const essence = mediaTypeEssence(bodyMedia(operation)?.mediaType);
  return essence === 'application/x-www-form-urlencoded' || essence === 'multipart/form-data';
}

/** Sets a parameter of the request to a value its style writes. */
export function setParameter(request: PlannedRequest, parameter: Parameter, value: WireValue): void {
  if (parameter.in === 'path') request.pathParams[parameter.name] = value;
  else if (parameter.in === 'query') request.query[parameter.name] = value;
  else if (parameter.in === 'cookie') request.cookies[parameter.name] = value;
  else request.headers[parameter.name] = 'text' in value ? value.text : serializeHeader(parameter, value.value);
}

/** Parameters and credentials of a valid request; the body is added by each case. */
export function baseRequest(ctx: BuildContext, operation: Operation): PlannedRequest {
  const auth = credentials(operation, ctx.nonce);
  const request: PlannedRequest = {
    pathParams: {},
    query: Object.fromEntries(Object.entries(auth.query).map(([name, text]) => [name, { text }])),
    cookies: {},
    headers: { ...auth.headers },
    omitHeaders: [],
    forceHeaders: [],
  };
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') {
      const linked = linkedParameter(ctx, operation, parameter.name);
      request.pathParams[parameter.name] = linked ?? { value: parameterValue(parameter, ctx.seed) };
    } else if (parameter.required) setParameter(request, parameter, { value: parameterValue(parameter, ctx.seed) });
  }
  return request;
}

export function withBody(request: PlannedRequest, body: PlannedBody | undefined): PlannedRequest {
  const copy: PlannedRequest = {
    ...request,
    pathParams: { ...request.pathParams },
    query: { ...request.query },
    cookies: { ...request.cookies },
    headers: { ...request.headers },
  };
  if (body) copy.body = body;
  else delete copy.body;
  return copy;
}
