/**
 * Writes the actual violations into a documented error example, at the places its `x-error-body`
 * declares (specs/README.md). Prism alone would send the example unchanged whatever the mistake was.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorBodyExtension } from '../lib/extensions.js';
import { deletePointer, setPointer } from '../lib/json-pointer.js';
import { summarize, type Violation } from './violations.js';

/** Values echoed into an error body are cut so that a 1 MB field does not come back as a 1 MB error. */
const MAX_ECHOED_VALUE = 200;

export interface ErrorFill {
  violations: readonly Violation[];
  /** Overrides the summary of the violations (e.g. a not-found or rate-limit message). */
  message?: string;
  status: number;
}

function echo(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_ECHOED_VALUE ? `${text.slice(0, MAX_ECHOED_VALUE)}...` : text;
}

function fillItems(
  example: unknown[],
  roles: NonNullable<ErrorBodyExtension['items']>,
  violations: readonly Violation[],
): unknown[] {
  const template = example[0];
  if (template === undefined || violations.length === 0) return example;
  return violations.map((violation) => {
    const item = structuredClone(template);
    if (roles.field) setPointer(item, roles.field, violation.field);
    if (roles.value) {
      if (violation.value !== undefined) setPointer(item, roles.value, echo(violation.value));
      else deletePointer(item, roles.value);
    }
    if (roles.requirement && roles.requirements) {
      const requirement = roles.requirements[violation.kind] ?? roles.requirements.default;
      if (requirement !== undefined) setPointer(item, roles.requirement, requirement);
    }
    return item;
  });
}

export function fillErrorBody(example: unknown, roles: ErrorBodyExtension | undefined, fill: ErrorFill): unknown {
  let body = structuredClone(example);
  if (!roles) return body;
  if (roles.items && Array.isArray(body)) body = fillItems(body, roles.items, fill.violations);
  const hasNews = fill.violations.length > 0 || fill.message !== undefined;
  // Pointers into an array or a bare string body have nothing to write into.
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  if (roles.message && hasNews) setPointer(body, roles.message, fill.message ?? summarize(fill.violations));
  if (roles.fieldErrors && fill.violations.length > 0) {
    const map: Record<string, string[]> = {};
    for (const violation of fill.violations) {
      // A map keyed by field names each alternative, as a form shows it beside each input.
      const { alternatives } = violation;
      if (!alternatives || alternatives.length < 2) {
        (map[violation.field] ??= []).push(violation.message);
        continue;
      }
      for (const field of alternatives) {
        const others = alternatives.filter((other) => other !== field);
        const when = others.length === 1 ? `${others[0]} is not present` : `none of ${others.join(', ')} is present`;
        (map[field] ??= []).push(`${field} is required when ${when}`);
      }
    }
    setPointer(body, roles.fieldErrors, map);
  }
  if (roles.errorId) setPointer(body, roles.errorId, randomUUID());
  if (roles.timestamp) setPointer(body, roles.timestamp, new Date().toISOString());
  if (roles.status) setPointer(body, roles.status, fill.status);
  return body;
}
