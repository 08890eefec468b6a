/**
 * The spec's resource model (lib/resources.ts) bound to one store: the fields each collection
 * indexes (unique values, merge keys, the attribute records are named by, what related counts count by) and the records it starts with.
 */
import { type ResourceBinding, resourceModel } from '../../lib/resources.js';
import type { Spec } from '../../lib/spec.js';
import type { IndexedField, Store } from './store.js';

export type { ResourceBinding } from '../../lib/resources.js';

export function bindResources(spec: Spec, store: Store): ReadonlyMap<string, ResourceBinding> {
  const bindings = resourceModel(spec);
  // Declared before anything else names a collection, so every declaration lands where the records are.
  for (const binding of bindings.values())
    if (binding.sameRecordsAs !== undefined)
      store.declareSameRecords(binding.resource.collection, binding.sameRecordsAs);
  for (const binding of bindings.values()) {
    const { resource } = binding;
    if (resource.seed) store.declareSeed(resource.collection, binding.idField, resource.seed);
    const fields: IndexedField[] = [];
    for (const field of resource.unique?.fields ?? []) fields.push({ property: field, children: false });
    // Records named by an attribute are found by it (mocks/state/resources.ts).
    if (binding.keyField !== undefined && resource.action === 'create')
      fields.push({ property: binding.keyField, children: false });
    if (resource.merge) fields.push({ property: resource.merge.on, children: true });
    if (fields.length > 0) store.declareIndex(resource.collection, fields);
    if (resource.members)
      store.declareMembers(resource.collection, resource.members.collection, resource.members.count);
    // Counting the records that point at one must not cost a walk of their whole collection.
    for (const related of resource.related ?? [])
      if ('count' in related)
        store.declareIndex(related.count, [{ property: related.by, children: false, asText: true }]);
  }
  return bindings;
}
