/**
 * An answer built from stored data made to fit its schema: a fitting value with as much of the
 * stored record as keeps it fitting. One home for the handler (whole answers) and the state (the
 * items of a list, each repaired on its own).
 */
import { isObject } from '../lib/json.js';
import { getPointer } from '../lib/json-pointer.js';

/** Where an answer built from stored data holds the record, and the record's id field. */
export interface StoredView {
  record: string;
  idField: string | undefined;
}

/**
 * A fitting answer with as many of the stored record's properties as keep it fitting, the id first:
 * where what a client sends differs in shape from what the API answers, the record's id and the
 * values that fit still come back, so what was created can be read again under the id answered.
 */
export function blend(
  fitting: unknown,
  built: unknown,
  stored: StoredView,
  validate: (value: unknown) => boolean,
): unknown {
  const from = getPointer(built, stored.record);
  const body = structuredClone(fitting);
  const into = getPointer(body, stored.record);
  if (!isObject(from) || !isObject(into)) return fitting;
  const keys = Object.keys(from).sort((a, b) => Number(b === stored.idField) - Number(a === stored.idField));
  for (const key of keys) {
    const had = Object.hasOwn(into, key);
    const before = into[key];
    into[key] = from[key];
    if (validate(body)) continue;
    if (had) into[key] = before;
    else delete into[key];
  }
  return body;
}
