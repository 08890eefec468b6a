/**
 * Parsed YAML kept on disk as JSON, keyed by a hash of the text and of the parser (library, version,
 * options): a process starting cold (the mock, a run) reads a 40 KB spec in about a millisecond
 * instead of about 100 ms of YAML parsing. It lives in node_modules/.cache (`npm ci` empties it). A
 * value JSON cannot carry exactly (`.inf`, `-0`) is not kept, and failing to read or write the cache
 * only means parsing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { PACKAGE_ROOT } from './package-root.js';

export const YAML_CACHE_DIR = join(PACKAGE_ROOT, 'node_modules', '.cache', 'contact-api-contracts', 'yaml-1');
/** Below this a file parses about as fast as the cache is read. */
const MIN_LENGTH = 8 * 1024;
/** Entries kept; the oldest written go first. */
const MAX_ENTRIES = 64;

/** Where the parse of a text is kept; `parser` names the library, its version and options. */
export function yamlCacheFile(text: string, parser: string, dir = YAML_CACHE_DIR): string {
  return join(dir, `${createHash('sha256').update(parser).update('\0').update(text).digest('hex')}.json`);
}

/** `parse(text)`, or what the same parser gave in an earlier process for the same text. Errors are never kept. */
export function parseYamlCached(
  text: string,
  parser: string,
  parse: (text: string) => unknown,
  dir = YAML_CACHE_DIR,
): unknown {
  if (text.length < MIN_LENGTH) return parse(text);
  const file = yamlCacheFile(text, parser, dir);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    // Not kept yet, or a torn or unreadable entry: parse, and keep it again.
  }
  const value = parse(text);
  keep(dir, file, value);
  return value;
}

function keep(dir: string, file: string, value: unknown): void {
  // Written whole, then renamed: a process reading at the same moment sees all of it or nothing.
  const partial = `${file}.${process.pid}.partial`;
  try {
    const json = JSON.stringify(value);
    if (!isDeepStrictEqual(JSON.parse(json), value)) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(partial, json);
    renameSync(partial, file);
    prune(dir);
  } catch {
    // A read-only or full disk: the next process parses again.
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written there either.
    }
  }
}

function prune(dir: string): void {
  const names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names
    .map((name) => ({ name, written: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => a.written - b.written);
  for (const { name } of byAge.slice(0, names.length - MAX_ENTRIES)) rmSync(join(dir, name), { force: true });
}
