/** In-memory collections of one API's records, keyed by id, with the id counters that fill them. */
export type StoredRecord = Record<string, unknown>;

export class Collection {
  readonly records = new Map<string, StoredRecord>();
  private next: number | undefined;

  /** Ids count up from the first seed seen (the documented example's id), one per create. */
  allocate(seed: number): number {
    this.next ??= seed;
    return this.next++;
  }
}

export class Store {
  private readonly collections = new Map<string, Collection>();

  collection(name: string): Collection {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new Collection();
      this.collections.set(name, collection);
    }
    return collection;
  }

  reset(): void {
    this.collections.clear();
  }

  snapshot(): Record<string, StoredRecord[]> {
    return Object.fromEntries([...this.collections].map(([name, c]) => [name, [...c.records.values()]]));
  }
}
