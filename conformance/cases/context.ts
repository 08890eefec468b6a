/** What every case generator reads: the spec, the compiled validators, the seed and the run's stamps. */

import { describesFields } from '../../lib/form.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { linkedParameters } from '../../lib/links.js';
import { isFormMediaType, isJsonMediaType, isXmlMediaType, mediaTypeEssence } from '../../lib/media-type.js';
import { templateNames } from '../../lib/rest-shape.js';
import { declaredTypes, mainType } from '../../lib/schema.js';
import type { MediaType, Operation, Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import type { LinkedValue } from '../types.js';
import { Stamps } from './uniqueness.js';

export interface BuildContext {
  spec: Spec;
  validators: ValidatorCache;
  seed: number;
  stamps: Stamps;
  /** Marks the credentials this run generates (see conformance/throttle.ts). */
  nonce: string;
  /** Path parameters that links fill: target operationId -> parameter -> where the value comes from. */
  links: Map<string, Map<string, LinkedValue>>;
  /** The target may hold records the run did not make (not loopback, or `--live`): never write to a guessed id. */
  othersRecords: boolean;
}

export function createContext(
  spec: Spec,
  validators: ValidatorCache,
  seed: number,
  nonce: string,
  othersRecords = false,
): BuildContext {
  const links = new Map<string, Map<string, LinkedValue>>();
  for (const [target, parameters] of linkedParameters(spec)) {
    const selfLink = (source: string): number => (source === target ? 1 : 0);
    // A parameter filled by several links takes the first one from another operation: a link from the
    // operation to itself (a copy of a copy) cannot give its first request an id.
    const chosen = new Map<string, LinkedValue>();
    const operation = spec.operations.find((op) => op.operationId === target);
    for (const p of [...parameters].sort((a, b) => selfLink(a.sourceOperationId) - selfLink(b.sourceOperationId))) {
      // A parent the config file names (an account, a merchant) is that one, not one the run makes.
      const given = operation?.parameters.some((q) => q.name === p.parameter && q.in === 'path' && q.given === true);
      if (p.parent && given) continue;
      if (!chosen.has(p.parameter)) {
        chosen.set(p.parameter, {
          sourceOperationId: p.sourceOperationId,
          expression: p.expression,
          ...(p.parent ? { parent: true as const } : {}),
        });
      }
    }
    links.set(target, chosen);
  }
  return { spec, validators, seed, stamps: new Stamps(seed, validators), nonce, links, othersRecords };
}

/**
 * Media types the generated bodies can be sent as, best first: JSON, any `+json`, forms, then text
 * (plain first; not XML, whose text has a grammar) and bytes whose schema is a string or any value
 * (any text is such a body, where an image or an archive has a format of its own).
 */
function rank(mediaType: string, schema: JsonSchema): number {
  if (isJsonMediaType(mediaType)) return mediaTypeEssence(mediaType) === 'application/json' ? 0 : 1;
  const essence = mediaTypeEssence(mediaType);
  // A form is written from an object's fields: a form whose schema is its one file has none to write.
  if (isFormMediaType(essence) && !describesFields(schema)) return -1;
  if (essence === 'application/x-www-form-urlencoded') return 2;
  if (essence === 'multipart/form-data') return 3;
  const types = declaredTypes(schema);
  // A byte body is often described as any value (`{}`, 3.1's way) or by `contentMediaType` alone.
  const text = types === undefined || (types.size === 1 && types.has('string'));
  if (text && essence === 'text/plain') return 4;
  if (text && essence.startsWith('text/') && !isXmlMediaType(essence)) return 5;
  if (text && essence === 'application/octet-stream') return 6;
  return -1;
}

type BodyMedia = MediaType & { schema: JsonSchema };

/** Asked for every case of an operation: chosen once per operation object. */
const chosenMedia = new WeakMap<Operation, BodyMedia | null>();

/** The request body the cases use, if the operation takes one they can make: its media type and schema. */
export function bodyMedia(operation: Operation): BodyMedia | undefined {
  let chosen = chosenMedia.get(operation);
  if (chosen === undefined) {
    chosen = chooseMedia(operation) ?? null;
    chosenMedia.set(operation, chosen);
  }
  return chosen ?? undefined;
}

function chooseMedia(operation: Operation): BodyMedia | undefined {
  let best: (BodyMedia & { rank: number }) | undefined;
  for (const media of operation.requestBody?.content ?? []) {
    // Bytes without a schema are any bytes (3.1 describes a file upload by its media type alone).
    const schema = media.schema ?? (mediaTypeEssence(media.mediaType) === 'application/octet-stream' ? {} : undefined);
    if (!schema) continue;
    const order = rank(media.mediaType, schema);
    if (order >= 0 && (!best || order < best.rank)) best = { ...media, schema, rank: order };
  }
  return best;
}

/** An operation the run cannot make a valid request for: it is listed as not tested, with the reason. */
export class CannotTest extends Error {
  override name = 'CannotTest';
}

/**
 * A path whose template names a variable no parameter declares (`/tags/update/{type}`, which OpenAPI
 * forbids) cannot be written: the run would send the braces, or a value the document never allowed.
 */
export function requireDeclaredPath(operation: Operation): void {
  const declared = new Set(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name));
  const undeclared = templateNames(operation.path).filter((name) => !declared.has(name));
  if (undeclared.length === 0) return;
  const listed = undeclared.map((name) => `{${name}}`).join(', ');
  throw new CannotTest(`its path names ${listed}, which no path parameter declares: the runner cannot write the path`);
}

/**
 * Refuses an operation whose required body has no media type the cases can write, and one whose only
 * bodies it can tell apart are forms of a single file.
 */
export function requireWritableBody(operation: Operation): void {
  const body = operation.requestBody;
  if (!body || body.content.length === 0 || bodyMedia(operation)) return;
  // Such a form is an upload, what its operation is for: a request without it, though the document
  // allows one, tests nothing it describes, and a server that wants the file refuses it.
  const upload = body.content.find(
    (media) => isFormMediaType(media.mediaType) && media.schema !== undefined && !describesFields(media.schema),
  );
  if (upload?.schema) {
    const type = mainType(upload.schema);
    const named = type === undefined ? 'of no type' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
    throw new CannotTest(
      `its body is ${upload.mediaType} whose schema is ${named}, not an object of fields: the runner cannot write it as a form`,
    );
  }
  if (!body.required) return;
  throw new CannotTest(
    `its required body is ${body.content.map((m) => m.mediaType).join(' or ')}, which the runner cannot write`,
  );
}

export function isValid(ctx: BuildContext, schema: JsonSchema, value: unknown): boolean {
  return ctx.validators.get(schema, 'all', 'request')(value);
}
