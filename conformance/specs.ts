/**
 * The specs this process has loaded, each with its compiled validators. A process that runs many
 * times (a test suite, a program calling `run`, a config whose APIs share a spec) parses, resolves
 * and compiles a spec once while the files it was read from say the same. The model is frozen:
 * a run derives what it changes (overrides.ts) and never writes into what the next run reads.
 */
import { resolve } from 'node:path';
import { unchanged } from '../lib/document.js';
import { deepFreeze } from '../lib/json.js';
import { readSpec, type Spec } from '../lib/spec.js';
import { ValidatorCache } from '../lib/validator.js';
import { asConfigError } from './errors.js';

export interface LoadedSpec {
  spec: Spec;
  /** Compiled for this spec's document; shared by every run of it. */
  validators: ValidatorCache;
}

interface Read {
  loaded: LoadedSpec;
  texts: ReadonlyMap<string, string>;
}

const entries = new Map<string, Promise<Read>>();

async function read(file: string): Promise<Read> {
  try {
    const { spec, texts } = await readSpec(file);
    const validators = new ValidatorCache();
    validators.register(spec);
    // A response schema AJV cannot compile would end the run at the first answer that needs it: the
    // spec is refused (file and pointer) before any request instead.
    for (const operation of spec.operations)
      for (const response of operation.responses)
        for (const media of response.content) if (media.schema) validators.get(media.schema, 'all', 'response');
    return { loaded: { spec: deepFreeze(spec), validators }, texts };
  } catch (error) {
    throw asConfigError(error);
  }
}

/** The spec of `file`, loaded again only when one of the files it was read from changed. */
export async function loadForRun(file: string): Promise<LoadedSpec> {
  // The path as given is part of the key: the model names its file the way the run was told it.
  const key = `${resolve(file)}\u0000${file}`;
  const cached = entries.get(key);
  if (cached) {
    const hit = await cached.catch(() => undefined);
    if (hit && (await unchanged(hit.texts))) return hit.loaded;
  }
  const reading = read(file);
  entries.set(key, reading);
  // A spec that fails to load is read again next time: it may have been mended meanwhile.
  reading.catch(() => {
    if (entries.get(key) === reading) entries.delete(key);
  });
  return (await reading).loaded;
}
