/**
 * Reads a request body into memory with a size cap, and parses JSON. Parsing is done here, before
 * Prism, so that malformed or absurdly nested JSON is answered at once in the vendor's format.
 * Media types: lib/media-type.ts.
 */
import type { IncomingMessage } from 'node:http';
import { nestedDeeperThan } from '../lib/json.js';

/**
 * Bodies above 1 MiB are refused (a documented 4xx) without being buffered further: no contact
 * payload comes near it, and it keeps a runaway client from filling the mock's memory.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * JSON nested deeper than this is refused before it is parsed: no API payload needs it, and every
 * later walk of the value (validation, state, the answer) would otherwise have to survive it.
 */
export const MAX_JSON_DEPTH = 128;

export type RawBody = { kind: 'empty' } | { kind: 'bytes'; bytes: Buffer } | { kind: 'too-large' };

export function readBody(request: IncomingMessage): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLarge) resolve({ kind: 'too-large' });
      else if (size === 0) resolve({ kind: 'empty' });
      else resolve({ kind: 'bytes', bytes: Buffer.concat(chunks, size) });
    });
    request.on('error', reject);
  });
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseJson(bytes: Buffer): ParsedJson {
  const text = bytes.toString('utf8');
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    return { ok: false, reason: `it is nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
