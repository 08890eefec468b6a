/**
 * `--watch`: a change to a served spec file reloads that API alone, while the mock keeps serving.
 *
 * - Each file is watched through its directory, so an editor that saves by writing a new file and
 *   renaming it into place is seen as well as one that writes in place.
 * - Events for one file are debounced (a save is often several writes) and reloads of one file never
 *   overlap: a change during a reload reloads once more after it. An event that leaves the file's
 *   bytes as they were last loaded (a touch, a second event for one save) reloads nothing.
 * - A version that does not load (YAML syntax, a broken extension, an unreadable file) leaves the
 *   previous version in service; the event says why, with file:line:col where the loader has them.
 * - State: the other APIs are not touched. The reloaded API keeps each stored collection whose
 *   records the new version still describes the same way (same collection name, same id property):
 *   records, member lists and id counters carry over, indexed on the new version's unique and merge
 *   fields. Every other collection starts again from the new version (its seed, or empty). Its
 *   rate-limit windows carry over when the new version declares the same limit.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { MockApi } from './api.js';

export type ReloadEvent =
  | {
      kind: 'reloaded';
      /** The API's prefix, e.g. `easify`. */
      api: string;
      specFile: string;
      operations: number;
      /** Collections whose stored records carried over. */
      kept: string[];
      /** Collections whose stored records were let go: the new version has no such collection, or ids elsewhere. */
      dropped: string[];
    }
  | { kind: 'failed'; api: string; specFile: string; message: string };

export interface WatchOptions {
  /** Called after every reload attempt, successful or not. */
  onReload?: (event: ReloadEvent) => void;
  /** Quiet time after the last change to a file before it is reloaded (default 100 ms). */
  debounceMs?: number;
}

export interface SpecWatcher {
  close(): void;
}

export const DEFAULT_DEBOUNCE_MS = 100;

/**
 * Calls `reload(file)` after each change to one of `files`. `reload` must not reject (it reports
 * through its own events); a watcher that fails later (its directory removed) is reported through
 * `onError` and stops watching that directory. Throws when a directory cannot be watched at all.
 */
export function watchSpecFiles(
  files: readonly string[],
  reload: (file: string) => Promise<void>,
  options: { debounceMs?: number; onError: (file: string, message: string) => void },
): SpecWatcher {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  interface Pending {
    timer?: NodeJS.Timeout;
    running: boolean;
    again: boolean;
    /** The bytes last handed to a reload: a change event that leaves them as they were reloads nothing. */
    last?: Buffer;
  }
  const pending = new Map<string, Pending>(files.map((file) => [file, { running: false, again: false }]));

  const run = async (file: string): Promise<void> => {
    const state = pending.get(file)!;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      const content = await readFile(file).catch(() => undefined);
      if (content === undefined || !state.last?.equals(content)) {
        state.last = content;
        await reload(file);
      }
    } finally {
      state.running = false;
      if (state.again && !closed) {
        state.again = false;
        void run(file);
      }
    }
  };

  const byDirectory = new Map<string, Map<string, string>>();
  for (const file of files) {
    const names = byDirectory.get(dirname(file)) ?? new Map<string, string>();
    names.set(basename(file), file);
    byDirectory.set(dirname(file), names);
  }
  const watchers: FSWatcher[] = [];
  let closed = false;
  for (const [directory, names] of byDirectory) {
    let watcher: FSWatcher;
    try {
      watcher = watch(directory, { persistent: false }, (_event, name) => {
        const file = name === null ? undefined : names.get(name.toString());
        if (file === undefined || closed) return;
        const state = pending.get(file)!;
        clearTimeout(state.timer);
        state.timer = setTimeout(() => void run(file), debounceMs);
      });
    } catch (error) {
      // Typically the system's limit of watches (ENOSPC): nothing is watched, say so once.
      for (const started of watchers) started.close();
      throw new Error(`cannot watch ${directory}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    watcher.on('error', (error: NodeJS.ErrnoException) => {
      watcher.close();
      for (const file of names.values())
        options.onError(file, `stopped watching ${directory}: ${error.code ?? error.message}`);
    });
    watchers.push(watcher);
  }
  return {
    close(): void {
      closed = true;
      for (const watcher of watchers) watcher.close();
      for (const state of pending.values()) clearTimeout(state.timer);
    },
  };
}

const idFields = (api: MockApi): Map<string, string | undefined> => {
  const fields = new Map<string, string | undefined>();
  for (const binding of api.bindings.values()) {
    if (!fields.has(binding.resource.collection)) fields.set(binding.resource.collection, binding.idField);
  }
  return fields;
};

/** Moves into `next` (a reloaded version of `previous`'s spec) the state that still fits it. */
export function carryState(previous: MockApi, next: MockApi): { kept: string[]; dropped: string[] } {
  const before = idFields(previous);
  const after = idFields(next);
  const carried = next.store.adopt(
    previous.store,
    (name) => after.has(name) && before.has(name) && after.get(name) === before.get(name),
  );
  if (
    previous.rateLimit &&
    next.rateLimit &&
    JSON.stringify(previous.rateLimit.rule) === JSON.stringify(next.rateLimit.rule)
  ) {
    next.rateLimit = { rule: next.rateLimit.rule, limiter: previous.rateLimit.limiter };
  }
  return carried;
}

/** One line for the terminal: what a reload did, or why the previous version is still served. */
export function describeReload(event: ReloadEvent, shownFile: string): string {
  if (event.kind === 'failed') {
    const reason = event.message.split('\n')[0]!.trim().split(event.specFile).join(shownFile);
    return `${reason} (still serving the previous version of ${shownFile})`;
  }
  const state = [
    ...(event.kept.length > 0 ? [`kept the stored ${event.kept.join(', ')}`] : []),
    ...(event.dropped.length > 0 ? [`cleared ${event.dropped.join(', ')} (no longer described the same way)`] : []),
  ];
  return (
    `reloaded ${shownFile} (/${event.api}): ${event.operations} operation${event.operations === 1 ? '' : 's'}` +
    (state.length > 0 ? `; ${state.join('; ')}` : '')
  );
}
