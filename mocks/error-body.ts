/**
 * Writes the actual violations into a documented error example, at the places its `x-error-body`
 * declares (specs/README.md). Prism alone would send the example unchanged whatever the mistake was.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorBodyExtension } from '../lib/extensions.js';
import { deletePointer, setPointer } from '../lib/json-pointer.js';
import { summarize, type Violation, violationCause } from './violations.js';

/** Values echoed into an error body are cut so that a 1 MB field does not come back as a 1 MB error. */
const MAX_ECHOED_VALUE = 200;

export interface ErrorFill {
  violations: readonly Violation[];
  /** Overrides the summary of the violations (e.g. a not-found or rate-limit message). */
  message?: string;
  status: number;
  /** What went wrong, for the vendor's sentence (`x-error-body.messages`). */
  cause?: string;
  /** What a sentence without a violation is about: the id not found. */
  subject?: { field: string; value: unknown };
}

const labelOf = (field: string): string =>
  field
    .replace(/[_.]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();

/** `x-error-body.messages`' sentence for a cause, about one field, its value and the fields beside it. */
function sentence(template: string, field: string, value: unknown, others: readonly string[] = []): string {
  return template.replace(/\{(field|label|value|others)\}/g, (_, key: string) => {
    if (key === 'field') return field;
    if (key === 'label') return labelOf(field);
    if (key === 'others') return others.map(labelOf).join(' / ');
    return value === undefined ? '' : echo(value);
  });
}

/** Per field of an "at least one of": its sentence (the spec's `required-without`, else ours). */
function eachAlternative(
  alternatives: readonly string[],
  messages: Record<string, string> | undefined,
): { field: string; text: string }[] {
  return alternatives.map((field) => {
    const others = alternatives.filter((other) => other !== field);
    const template = messages?.['required-without'];
    if (template !== undefined) return { field, text: sentence(template, field, undefined, others) };
    const when = others.length === 1 ? `${others[0]} is not present` : `none of ${others.join(', ')} is present`;
    return { field, text: `${field} is required when ${when}` };
  });
}

/** A violation's message in the vendor's words when its spec gives a sentence for its cause. */
function worded(violation: Violation, messages: Record<string, string> | undefined): string {
  const { alternatives } = violation;
  if (alternatives && alternatives.length > 1 && messages?.['required-without'] !== undefined) {
    return eachAlternative(alternatives, messages)
      .map((alternative) => alternative.text)
      .join(' ');
  }
  const template = messages?.[violationCause(violation)];
  return template === undefined ? violation.message : sentence(template, violation.field, violation.value);
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
  if (roles.message && hasNews) setPointer(body, roles.message, messageOf(roles, fill));
  if (roles.fieldErrors && fill.violations.length > 0) {
    const map: Record<string, string[]> = {};
    for (const violation of fill.violations) {
      // A map keyed by field names each alternative, as a form shows it beside each input.
      const { alternatives } = violation;
      if (!alternatives || alternatives.length < 2) {
        (map[violation.field] ??= []).push(worded(violation, roles.messages));
        continue;
      }
      for (const { field, text } of eachAlternative(alternatives, roles.messages)) (map[field] ??= []).push(text);
    }
    setPointer(body, roles.fieldErrors, map);
  }
  if (roles.errorId) setPointer(body, roles.errorId, randomUUID());
  if (roles.timestamp) setPointer(body, roles.timestamp, new Date().toISOString());
  if (roles.status) setPointer(body, roles.status, fill.status);
  return body;
}

function messageOf(roles: ErrorBodyExtension, fill: ErrorFill): string {
  const template = fill.cause !== undefined ? roles.messages?.[fill.cause] : undefined;
  if (template !== undefined && fill.subject) return sentence(template, fill.subject.field, fill.subject.value);
  // Every problem is named, each in the vendor's words where it has a sentence for its cause.
  const { messages } = roles;
  if (fill.message === undefined && messages && fill.violations.some((v) => worded(v, messages) !== v.message)) {
    const sentences = fill.violations.map((violation) => worded(violation, messages));
    return sentences.join(sentences.every((text) => /[.!?]$/.test(text)) ? ' ' : '; ');
  }
  return fill.message ?? summarize(fill.violations);
}
