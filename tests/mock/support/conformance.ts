/**
 * Does a response the mock sent match its operation in the spec? Status documented, content type
 * documented, body valid against the schema, required headers present and valid. Returns the
 * problems found (none = conforms), so a test can show them all at once.
 */

import { formatAjvErrors } from '../../../lib/ajv-errors.js';
import type { JsonSchema } from '../../../lib/json-schema.js';
import type { Operation, Response } from '../../../lib/spec.js';
import { ValidatorCache } from '../../../lib/validator.js';

export interface Received {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const validators = new ValidatorCache();

function documented(operation: Operation, status: number): Response | undefined {
  const code = String(status);
  return (
    operation.responses.find((r) => r.status === code) ??
    operation.responses.find((r) => r.status === `${code[0]}XX`) ??
    operation.responses.find((r) => r.status === 'default')
  );
}

function headerValue(raw: string, schema: JsonSchema | undefined): unknown {
  const type = [schema?.type].flat();
  return (type.includes('integer') || type.includes('number')) && /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

export function responseProblems(operation: Operation, received: Received): string[] {
  const response = documented(operation, received.status);
  if (!response)
    return [
      `status ${received.status} is not documented for ${operation.operationId} (documented: ${operation.responses.map((r) => r.status).join(', ')})`,
    ];
  const problems: string[] = [];
  for (const header of response.headers) {
    const raw = received.headers[header.name.toLowerCase()];
    if (raw === undefined) {
      if (header.required) problems.push(`required header ${header.name} is missing`);
      continue;
    }
    if (header.schema) {
      const validate = validators.get(header.schema);
      if (!validate(headerValue(raw, header.schema)))
        problems.push(...formatAjvErrors(validate.errors, `header ${header.name}`));
    }
  }
  if (response.content.length === 0) {
    if (received.text.length > 0)
      problems.push(`status ${received.status} documents no body, got ${received.text.slice(0, 80)}`);
    return problems;
  }
  const contentType = (received.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const media = response.content.find((m) => m.mediaType.toLowerCase() === contentType);
  if (!media)
    return [
      ...problems,
      `content-type "${contentType}" is not documented for ${received.status} (${response.content.map((m) => m.mediaType).join(', ')})`,
    ];
  if (!media.schema) return problems;
  let body: unknown;
  try {
    body = JSON.parse(received.text);
  } catch {
    return [...problems, `body is not JSON: ${received.text.slice(0, 80)}`];
  }
  const validate = validators.get(media.schema);
  if (!validate(body)) problems.push(...formatAjvErrors(validate.errors, 'body'));
  return problems;
}
