/**
 * lib/yaml-cache.ts: a YAML text parsed in one process is read as JSON by the next, keyed by the
 * text's and the parser's hash; what JSON cannot carry exactly, small texts and broken entries are
 * parsed again. The unit tests keep their entries in a directory of their own.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument, YAML_PARSER } from '../../lib/document.js';
import type { JsonObject } from '../../lib/json.js';
import { parseYamlCached, yamlCacheFile } from '../../lib/yaml-cache.js';

let dir: string;
let cache: string;
const planted: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yaml-cache-'));
  cache = join(dir, 'cache');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await Promise.all(planted.map((file) => rm(file, { force: true })));
});

/** A spec of about 20 KB (big enough to be kept), unique to this call. */
function bigSpec(title = randomUUID()): string {
  const paths = Array.from(
    { length: 120 },
    (_, i) =>
      `  /items/${i}:\n    get:\n      operationId: get${i}\n      responses:\n        '204': {description: ok}\n`,
  );
  return `openapi: 3.1.0\ninfo: {title: '${title}', version: '1'}\npaths:\n${paths.join('')}`;
}

async function written(text: string): Promise<string> {
  const path = join(dir, `${randomUUID()}.yaml`);
  await writeFile(path, text);
  planted.push(yamlCacheFile(text, YAML_PARSER));
  return path;
}

describe('a YAML spec read once', () => {
  it('is kept as JSON under its hash, and what is kept is what the next reader gets', async () => {
    const text = bigSpec();
    const document = (await readDocument(await written(text))).document;
    const kept = JSON.parse(await readFile(yamlCacheFile(text, YAML_PARSER), 'utf8')) as JsonObject;
    expect(kept.info).toEqual(document.info);
    expect(Object.keys(kept.paths as JsonObject)).toHaveLength(120);

    // Another process finds the entry: a value planted there is the proof it is read, not parsed.
    const other = bigSpec();
    const file = yamlCacheFile(other, YAML_PARSER);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(
      file,
      JSON.stringify({ openapi: '3.1.0', info: { title: 'from the cache', version: '1' }, paths: {} }),
    );
    planted.push(file);
    expect(((await readDocument(await written(other))).document.info as JsonObject).title).toBe('from the cache');
  });

  it('another parser (version or options) does not read what this one kept', () => {
    const text = bigSpec();
    expect(parseYamlCached(text, 'yaml 1', () => ({ by: 1 }), cache)).toEqual({ by: 1 });
    expect(parseYamlCached(text, 'yaml 2', () => ({ by: 2 }), cache)).toEqual({ by: 2 });
    expect(parseYamlCached(text, 'yaml 1', () => ({ by: 'again' }), cache)).toEqual({ by: 1 });
  });

  it('a torn entry is parsed again and written whole', async () => {
    const text = bigSpec();
    let parses = 0;
    const parse = (): unknown => ({ parsed: ++parses });
    expect(parseYamlCached(text, 'p', parse, cache)).toEqual({ parsed: 1 });
    expect(parseYamlCached(text, 'p', parse, cache)).toEqual({ parsed: 1 });
    await writeFile(yamlCacheFile(text, 'p', cache), '{"parsed":');
    expect(parseYamlCached(text, 'p', parse, cache)).toEqual({ parsed: 2 });
    expect(parseYamlCached(text, 'p', parse, cache)).toEqual({ parsed: 2 });
    expect(parses).toBe(2);
  });

  it('a value JSON cannot carry exactly, a small text and a parse error are not kept', () => {
    const infinite = bigSpec();
    expect(parseYamlCached(infinite, 'p', () => ({ maximum: Number.POSITIVE_INFINITY }), cache)).toEqual({
      maximum: Number.POSITIVE_INFINITY,
    });
    expect(existsSync(yamlCacheFile(infinite, 'p', cache))).toBe(false);

    const small = 'openapi: 3.1.0\n';
    expect(parseYamlCached(small, 'p', () => ({ small: true }), cache)).toEqual({ small: true });
    expect(existsSync(yamlCacheFile(small, 'p', cache))).toBe(false);

    const broken = bigSpec();
    expect(() =>
      parseYamlCached(
        broken,
        'p',
        () => {
          throw new Error('bad YAML');
        },
        cache,
      ),
    ).toThrow('bad YAML');
    expect(existsSync(yamlCacheFile(broken, 'p', cache))).toBe(false);
  });

  it('keeps at most 64 entries, dropping the oldest written', async () => {
    const own = join(dir, 'bounded');
    const old = Array.from({ length: 70 }, () => yamlCacheFile(randomUUID(), 'p', own));
    await mkdir(own, { recursive: true });
    const longAgo = new Date('2000-01-01T00:00:00Z');
    for (const [i, file] of old.entries()) {
      await writeFile(file, '{}');
      await utimes(file, longAgo, new Date(longAgo.getTime() + i * 1000));
    }
    const text = bigSpec();
    parseYamlCached(text, 'p', () => ({ fresh: true }), own);
    const left = (await readdir(own)).filter((name) => name.endsWith('.json'));
    expect(left).toHaveLength(64);
    expect(left).toContain(basename(yamlCacheFile(text, 'p', own)));
    // The seven oldest went; the newest of those planted is still there.
    expect(old.slice(0, 7).filter((file) => existsSync(file))).toEqual([]);
    expect(existsSync(old[7]!)).toBe(true);
    expect(existsSync(old[69]!)).toBe(true);
  });
});
