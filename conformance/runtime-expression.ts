/** Evaluates the OpenAPI runtime expressions links use, against a received response. */
import { getPointer } from '../lib/json-pointer.js';
import { responseBodyPointer } from '../lib/links.js';
import type { ReceivedResponse } from './types.js';

export function evaluateExpression(expression: string, response: ReceivedResponse): unknown {
  const pointer = responseBodyPointer(expression);
  if (pointer !== undefined) return response.json ? getPointer(response.json.value, pointer) : undefined;
  if (expression.startsWith('$response.header.'))
    return response.headers[expression.slice('$response.header.'.length).toLowerCase()];
  return undefined;
}
