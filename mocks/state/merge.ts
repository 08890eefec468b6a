/**
 * `x-resource.merge`: a create whose match keys (the sub-properties of `merge.on`) equal those of
 * stored records is a merge into that record, or a conflict when it matches several.
 */

import { isDeepStrictEqual } from 'node:util';
import { isObject } from '../../lib/json.js';
import type { Collection, StoredRecord } from './store.js';

export function findMergeMatches(collection: Collection, on: string, incoming: StoredRecord): StoredRecord[] {
  const keys = incoming[on];
  if (!isObject(keys)) return [];
  const entries = Object.entries(keys).filter(([, value]) => value !== undefined);
  return [...collection.records.values()].filter((record) => {
    const stored = record[on];
    return isObject(stored) && entries.some(([key, value]) => isDeepStrictEqual(stored[key], value));
  });
}

/** The incoming fields win; nested objects (an address book) are merged key by key, lists are replaced. */
export function mergeRecords(stored: StoredRecord, incoming: StoredRecord, keep: string | undefined): StoredRecord {
  const result: StoredRecord = { ...stored };
  for (const [key, value] of Object.entries(incoming)) {
    if (key === keep) continue;
    const current = result[key];
    result[key] =
      isObject(current) && isObject(value) ? mergeRecords(current, value, undefined) : structuredClone(value);
  }
  return result;
}
