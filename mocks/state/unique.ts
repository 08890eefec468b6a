/** `x-resource.unique`: a create whose value of a unique field is already stored is a duplicate. */
import { isDeepStrictEqual } from 'node:util';
import type { Violation } from '../violations.js';
import type { Collection, StoredRecord } from './store.js';

export function findDuplicates(collection: Collection, fields: readonly string[], incoming: StoredRecord): Violation[] {
  const violations: Violation[] = [];
  for (const field of fields) {
    const value = incoming[field];
    if (value === undefined) continue;
    for (const record of collection.records.values()) {
      if (isDeepStrictEqual(record[field], value)) {
        violations.push({
          location: 'body',
          field,
          kind: 'duplicate',
          value,
          message: `${field} ${JSON.stringify(value)} is already taken`,
        });
        break;
      }
    }
  }
  return violations;
}
