/**
 * In-memory collections of one API's records, keyed by id, with the id counters that fill them and
 * indexes on the fields that creates compare (unique values, merge keys), so that a create costs the
 * same with 100,000 stored records as with none.
 */
import { isObject } from '../../lib/json.js';
import { setPointer } from '../../lib/json-pointer.js';

export type StoredRecord = Record<string, unknown>;

/** A field a collection indexes: a property (`name`), or every sub-property of one (`addresses.*`). */
export interface IndexedField {
  property: string;
  children: boolean;
  /** Compared as text: a number and its decimal text are one value (an id sent as either). */
  asText?: boolean;
}

/** Where a text-compared index of a property is kept, apart from its typed one. */
const textPath = (property: string): string => `${property}\u0000text`;

const textKey = (value: unknown): string =>
  typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean'
    ? String(value)
    : valueKey(value);

/**
 * How a value is compared: a string is its own key (the record's string, not a copy), anything else
 * its JSON text behind a NUL, which no other key starts with (a string that does is keyed as JSON too,
 * and JSON text of a string starts with a quote, which no other JSON does).
 */
const valueKey = (value: unknown): string =>
  typeof value === 'string' && !value.startsWith('\u0000') ? value : `\u0000${JSON.stringify(value) ?? 'undefined'}`;

const NONE: ReadonlySet<string> = new Set();

export class Collection {
  private readonly byId = new Map<string, StoredRecord>();
  private next: number | undefined;
  /** `name` or `addresses.msisdn` -> value key -> the id holding it, or the ids when several do (kept rare). */
  private readonly index = new Map<string, Map<string, string | Set<string>>>();
  private readonly indexed: IndexedField[] = [];
  /** Group id -> member ids, for membership operations. */
  private readonly members = new Map<string, Set<string>>();
  /** Member id -> the group ids holding it: a member's groups without a walk of every group. */
  private readonly holders = new Map<string, Set<string>>();
  /** Id -> the parent the record was made under (a nested collection's `/contacts/{id}/notes`), when it was. */
  private readonly parents = new Map<string, string>();

  /** Ids count up from the first seed seen (the documented example's id), one per create, past any id stored. */
  allocate(seed: number): number {
    this.next ??= seed;
    while (this.byId.has(String(this.next))) this.next++;
    return this.next++;
  }

  /** Adds fields to index; records already stored are indexed too. */
  indexOn(fields: readonly IndexedField[]): void {
    for (const field of fields) {
      if (
        this.indexed.some(
          (f) => f.property === field.property && f.children === field.children && !f.asText === !field.asText,
        )
      )
        continue;
      this.indexed.push(field);
      for (const [id, record] of this.byId) this.add(id, record, [field]);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Whether the record under `id` is seen from `parent`: a look from no parent sees every record, and
   * a record made under none (a seed, a top-level create) is seen from every parent.
   */
  private sees(id: string, parent: string): boolean {
    if (parent === '') return true;
    const made = this.parents.get(id);
    return made === undefined || made === parent;
  }

  get(id: string, parent = ''): StoredRecord | undefined {
    return this.sees(id, parent) ? this.byId.get(id) : undefined;
  }

  /** Records in the order they were first stored, those seen from `parent`. */
  values(parent = ''): IterableIterator<StoredRecord> {
    if (parent === '' || this.parents.size === 0) return this.byId.values();
    return (function* (collection) {
      for (const [id, record] of collection.byId) if (collection.sees(id, parent)) yield record;
    })(this);
  }

  entries(): IterableIterator<[string, StoredRecord]> {
    return this.byId.entries();
  }

  /** Stores the record; one made under a `parent` is seen from that parent only (it keeps it through updates). */
  set(id: string, record: StoredRecord, parent = ''): void {
    const previous = this.byId.get(id);
    if (previous) this.remove(id, previous);
    this.byId.set(id, record);
    if (parent !== '') this.parents.set(id, parent);
    this.add(id, record, this.indexed);
  }

  delete(id: string): boolean {
    const previous = this.byId.get(id);
    if (!previous) return false;
    this.remove(id, previous);
    this.byId.delete(id);
    this.parents.delete(id);
    // A deleted group holds no one: its members no longer name it.
    for (const member of this.members.get(id) ?? []) this.holders.get(member)?.delete(id);
    this.members.delete(id);
    return true;
  }

  /** The members of the record stored under `group`. */
  membersOf(group: string): ReadonlySet<string> {
    return this.members.get(group) ?? NONE;
  }

  /** The keys of the records holding `member`. */
  holdersOf(member: string): ReadonlySet<string> {
    return this.holders.get(member) ?? NONE;
  }

  addMember(group: string, member: string): void {
    let members = this.members.get(group);
    if (!members) this.members.set(group, (members = new Set()));
    members.add(member);
    let holders = this.holders.get(member);
    if (!holders) this.holders.set(member, (holders = new Set()));
    holders.add(group);
  }

  removeMember(group: string, member: string): void {
    this.members.get(group)?.delete(member);
    this.holders.get(member)?.delete(group);
  }

  /** Every record here loses all its members; the keys of those that had some. */
  clearMembers(): string[] {
    const had = [...this.members].filter(([, members]) => members.size > 0).map(([group]) => group);
    this.members.clear();
    this.holders.clear();
    return had;
  }

  /** Every member named `member` leaves every record here (its own collection dropped it). */
  forgetMember(member: string): readonly string[] {
    const groups = [...this.holdersOf(member)];
    for (const group of groups) this.members.get(group)?.delete(member);
    this.holders.delete(member);
    return groups;
  }

  /** Ids of the records seen from `parent` whose `path` (`name`, `addresses.msisdn`) holds `value`. */
  find(path: string, value: unknown, parent = ''): readonly string[] {
    const held = this.index.get(path)?.get(valueKey(value));
    const ids = held === undefined ? [] : typeof held === 'string' ? [held] : [...held];
    return parent === '' ? ids : ids.filter((id) => this.sees(id, parent));
  }

  /** How many records hold `value`, compared as text, at a property indexed `asText`. */
  countAsText(property: string, value: unknown): number {
    const held = this.index.get(textPath(property))?.get(textKey(value));
    return held === undefined ? 0 : typeof held === 'string' ? 1 : held.size;
  }

  private *keys(record: StoredRecord, fields: readonly IndexedField[]): Generator<[string, string]> {
    for (const field of fields) {
      if (!Object.hasOwn(record, field.property)) continue;
      const value = record[field.property];
      if (field.asText) yield [textPath(field.property), textKey(value)];
      else if (!field.children) yield [field.property, valueKey(value)];
      else if (isObject(value)) {
        for (const [key, child] of Object.entries(value)) {
          if (child !== undefined) yield [`${field.property}.${key}`, valueKey(child)];
        }
      }
    }
  }

  /** The same records, members and id counter in a new collection indexed on `fields`. */
  rebuilt(fields: readonly IndexedField[]): Collection {
    const copy = new Collection();
    copy.indexOn(fields);
    for (const [id, record] of this.byId) copy.set(id, record, this.parents.get(id));
    for (const [group, ids] of this.members) for (const id of ids) copy.addMember(group, id);
    if (this.next !== undefined) copy.next = this.next;
    return copy;
  }

  // Most values are held by one record: its id alone, not a set of one (about 150 bytes less per record).
  private add(id: string, record: StoredRecord, fields: readonly IndexedField[]): void {
    for (const [path, key] of this.keys(record, fields)) {
      let byValue = this.index.get(path);
      if (!byValue) this.index.set(path, (byValue = new Map()));
      const held = byValue.get(key);
      if (held === undefined) byValue.set(key, id);
      else if (typeof held !== 'string') held.add(id);
      else if (held !== id) byValue.set(key, new Set([held, id]));
    }
  }

  private remove(id: string, record: StoredRecord): void {
    for (const [path, key] of this.keys(record, this.indexed)) {
      const byValue = this.index.get(path);
      const held = byValue?.get(key);
      if (held === undefined) continue;
      if (typeof held === 'string') {
        if (held === id) byValue!.delete(key);
        continue;
      }
      held.delete(id);
      if (held.size === 1) byValue!.set(key, held.values().next().value!);
      else if (held.size === 0) byValue!.delete(key);
    }
  }
}

/** A collection whose records have members (its `members` sets), and the property counting them. */
export interface Membership {
  groups: string;
  count?: string;
}

export class Store {
  private readonly collections = new Map<string, Collection>();
  /** Collection -> the one keeping its records (a nested create's records, read and deleted at the top). */
  private readonly keepers = new Map<string, string>();
  private readonly indexed = new Map<string, IndexedField[]>();
  /** Member collection -> the collections whose records hold its records as members. */
  private readonly memberships = new Map<string, Membership[]>();
  private readonly seeds = new Map<string, { idField: string | undefined; records: readonly StoredRecord[] }>();

  /**
   * The records of collection `name` are those of `keeper`: one store, one id counter, so what either
   * makes the other's reads, updates and deletes find (a record made under a parent is still seen
   * from that parent only, and from no parent).
   */
  declareSameRecords(name: string, keeper: string): void {
    if (name !== keeper) this.keepers.set(name, keeper);
  }

  /** The collection keeping the records of `name`. */
  private keeperOf(name: string): string {
    return this.keepers.get(name) ?? name;
  }

  /** Records the named collection starts with, now and after every reset. */
  declareSeed(collection: string, idField: string | undefined, records: readonly StoredRecord[]): void {
    const name = this.keeperOf(collection);
    if (this.seeds.has(name)) return;
    this.seeds.set(name, { idField, records });
  }

  /** Records of `members` can be members of records of `groups` (whose `count` property counts them). */
  declareMembers(holders: string, memberCollection: string, count: string | undefined): void {
    const groups = this.keeperOf(holders);
    const members = this.keeperOf(memberCollection);
    const known = this.memberships.get(members) ?? [];
    if (known.some((m) => m.groups === groups)) return;
    this.memberships.set(members, [...known, { groups, ...(count !== undefined ? { count } : {}) }]);
  }

  /** The collections whose records may hold records of `members` as members. */
  membershipsOf(members: string): readonly Membership[] {
    return this.memberships.get(this.keeperOf(members)) ?? [];
  }

  /** The property counting the members of a record of `groups`, when one is declared. */
  memberCount(holders: string): string | undefined {
    const groups = this.keeperOf(holders);
    for (const list of this.memberships.values()) for (const m of list) if (m.groups === groups) return m.count;
    return undefined;
  }

  /** Fields the named collection indexes, now and after every reset. */
  declareIndex(collection: string, fields: readonly IndexedField[]): void {
    const name = this.keeperOf(collection);
    this.indexed.set(name, [...(this.indexed.get(name) ?? []), ...fields]);
    this.collections.get(name)?.indexOn(fields);
  }

  collection(named: string): Collection {
    const name = this.keeperOf(named);
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection();
      collection.indexOn(this.indexed.get(name) ?? []);
      const seed = this.seeds.get(name);
      for (const [i, record] of (seed?.records ?? []).entries()) {
        const id = seed?.idField !== undefined ? record[seed.idField] : undefined;
        collection.set(id === undefined ? `#seed${i}` : String(id), structuredClone(record));
      }
      this.collections.set(name, collection);
    }
    return collection;
  }

  /** The collection when it holds records or starts with some; a look at another collection must not make it. */
  existing(named: string): Collection | undefined {
    const name = this.keeperOf(named);
    return this.collections.has(name) || this.seeds.has(name) ? this.collection(name) : undefined;
  }

  reset(): void {
    this.collections.clear();
  }

  /**
   * Takes over the collections of `previous` (the store of an earlier version of the same spec)
   * that `fits` accepts, re-indexed on this store's fields; returns the names taken and the names
   * of the collections left behind. A collection nothing has touched yet is neither: it starts
   * from this store's seed when first used.
   */
  adopt(previous: Store, fits: (name: string) => boolean): { kept: string[]; dropped: string[] } {
    const kept: string[] = [];
    const dropped: string[] = [];
    for (const [name, collection] of previous.collections) {
      if (!fits(name)) {
        dropped.push(name);
        continue;
      }
      this.collections.set(name, collection.rebuilt(this.indexed.get(name) ?? []));
      kept.push(name);
    }
    // Members of a dropped collection are gone: the records that held them hold no one, and say so.
    for (const name of dropped) {
      for (const { groups, count } of [...previous.membershipsOf(name), ...this.membershipsOf(name)]) {
        const collection = this.collections.get(groups);
        for (const key of collection?.clearMembers() ?? []) {
          const record = collection?.get(key);
          if (!record || count === undefined) continue;
          const copy = structuredClone(record);
          setPointer(copy, count, 0);
          collection!.set(key, copy);
        }
      }
    }
    return { kept, dropped };
  }

  /** Stored records per collection, for GET /__mock/state. */
  snapshot(): Record<string, StoredRecord[]> {
    // A seeded collection holds its seed before anything touches it.
    for (const name of this.seeds.keys()) this.collection(name);
    return Object.fromEntries([...this.collections].map(([name, c]) => [name, [...c.values()]]));
  }

  /** How many records are stored, in all collections. */
  get size(): number {
    let size = 0;
    for (const collection of this.collections.values()) size += collection.size;
    return size;
  }
}
