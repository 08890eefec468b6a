/**
 * Unique values per case for the fields a stateful server compares: `x-resource.unique.fields` and
 * the sub-properties of `x-resource.merge.on`. Without this a correct server would answer valid
 * cases with its duplicate or merge statuses.
 */

import { emailShaped, uniqueFormatValue } from '../../lib/generators/formats.js';
import { matchingStrings, stampedStrings } from '../../lib/generators/strings.js';
import { isObject } from '../../lib/json.js';
import { appendPointer, getPointer, parsePointer, setPointer } from '../../lib/json-pointer.js';
import type { JsonSchema } from '../../lib/json-schema.js';
import { plainName, resourceModel, respellings, schemaAt } from '../../lib/resources.js';
import { restShape } from '../../lib/rest-shape.js';
import { declaredTypes, flatten, subschema } from '../../lib/schema.js';
import type { Operation, Spec } from '../../lib/spec.js';
import type { ValidatorCache } from '../../lib/validator.js';
import { objectProperties } from '../../lib/wire.js';
import type { BuildContext } from './context.js';

type Json = Record<string, unknown>;

export interface Stamp {
  /** Short base-36 text, different for every stamp of a run and, very likely, across seeds. */
  text: string;
  /** Six decimal digits, for values that must stay numeric. */
  digits: string;
  /** One ideograph, for values too short to carry the text. */
  char: string;
  index: number;
}

/** CJK Unified Ideographs: 20,992 one-character stamps in the Basic Multilingual Plane. */
const CJK_START = 0x4e00;
const CJK_SIZE = 20_992;

export class Stamps {
  private next = 0;
  private readonly used = new Set<string>();

  constructor(
    private readonly seed: number,
    private readonly validators: ValidatorCache,
  ) {}

  /** The seed spreads the stamps, so runs with different seeds against one stored state rarely collide. */
  take(): Stamp {
    const index = this.next++;
    const spread = this.seed * 7919 + index;
    return {
      text: `${(this.seed % 36 ** 4).toString(36).padStart(4, '0')}${index.toString(36)}`,
      digits: String(spread % 1_000_000).padStart(6, '0'),
      char: String.fromCodePoint(CJK_START + (spread % CJK_SIZE)),
      index,
    };
  }

  /** Whether the value fits the schema, by the rules a valid request keeps (documented and inferred). */
  fits(schema: JsonSchema, value: unknown): boolean {
    return this.validators.get(schema, 'all', 'request')(value);
  }

  /**
   * A valid value for the field that no other case of the run uses, or undefined if none is found.
   * The first case to send an empty value keeps it (an empty boundary); later ones are stamped.
   */
  uniqueValue(field: string, schema: JsonSchema, current: unknown, stamp: Stamp): unknown {
    const validate = this.validators.get(schema, 'all', 'request');
    if (typeof current !== 'string' || !validate(current)) return undefined;
    const claim = (value: string): boolean => {
      const key = `${field}\u0000${value}`;
      if (this.used.has(key)) return false;
      this.used.add(key);
      return true;
    };
    if (current === '' && claim('')) return '';
    const flat = flatten(schema);
    // Cheapest first; generating pattern matches is slow, so only when the stamps do not fit.
    const candidates = function* (seed: number): Generator<string | undefined> {
      if (flat.format) yield uniqueFormatValue(flat.format, stamp.text);
      // A text shaped like an email address (an example's) is one where the schema states no format: a
      // stamp over its tail would break its domain, and a server holding it to be an address would
      // refuse it. It is stamped as `format: email` is, in the local part on a reserved domain, not
      // the example's own: a made-up address there might be someone's.
      if (flat.format !== 'email' && emailShaped(current)) yield uniqueFormatValue('email', stamp.text);
      yield* stampedStrings(current, stamp);
      if (flat.pattern) yield* matchingStrings(flat, seed * 7919 + stamp.index, 5);
    };
    for (const candidate of candidates(this.seed)) {
      if (candidate !== undefined && validate(candidate) && claim(candidate)) return candidate;
    }
    return undefined;
  }

  /**
   * An invalid text made unique the same way, still breaking the same rules: a server that does not
   * enforce a rule stores it, and another case sending the same text would then meet a duplicate
   * instead of the rule. Undefined when the value is valid or no stamp keeps it invalid.
   */
  uniqueInvalid(field: string, schema: JsonSchema, current: unknown, stamp: Stamp): unknown {
    const validate = this.validators.get(schema, 'all', 'request');
    if (typeof current !== 'string' || validate(current)) return undefined;
    const broken = new Set(validate.errors.map((e) => `${e.instancePath} ${e.keyword}`));
    for (const candidate of stampedStrings(current, stamp)) {
      if (validate(candidate)) continue;
      const same = validate.errors.every((e) => broken.has(`${e.instancePath} ${e.keyword}`));
      const key = `${field}\u0000${candidate}`;
      if (same && !this.used.has(key)) {
        this.used.add(key);
        return candidate;
      }
    }
    return undefined;
  }
}

const NO_SPELLINGS: ReadonlyMap<string, string> = new Map();

/** A property named for an id: an object holding one is a record of its own, which the server may fill. */
const ID_NAMED = /(^id$|_id$|[a-z]Id$)/;

/** The list a text item is in: where it is and its schema, which the item's own schema does not see. */
export interface TextList {
  pointer: string;
  schema: JsonSchema;
}

/** A text value: where it is, the text, its schema and, for an item of a list, the list. */
export type TextLeaf = [pointer: string, text: string, schema: JsonSchema, list?: TextList];

/**
 * The text values of `body` the schema declares, by JSON pointer: its own properties' and, one level
 * down, those of an object property that is no record of its own (HubSpot's `properties`, not a
 * note's `author` with its `id`). `skip` (the id) is left out, and write-only ones unless `writeOnly`
 * (a read never shows them; a write still sends them). With `respell`, a name the body spells otherwise
 * than the schema (`FriendlyName`, `friendly_name`) is read, and pointed at, as the schema's. With
 * `items`, the text items of a list property (`email_address: ["..."]`) are leaves too, each under its
 * own item schema: a server may hold them unique as it does a field.
 */
export function textLeaves(
  body: unknown,
  schema: JsonSchema | undefined,
  skip?: string,
  writeOnly = false,
  respell = false,
  items = false,
): TextLeaf[] {
  const leaves: TextLeaf[] = [];
  const walk = (value: unknown, at: JsonSchema | undefined, pointer: string, depth: number) => {
    const flat = at ? flatten(at) : {};
    // An object typed by its branches alone (`profile: anyOf: [UserProfile, DirectoryProfile]`) has theirs.
    const properties = (at ? objectProperties(at) : undefined) ?? {};
    // A discriminator's value names a schema (`petType: Cat`): no text of the record's own.
    const names = (flat.discriminator as { propertyName?: unknown } | undefined)?.propertyName;
    if (!isObject(value)) return;
    // Read against the record, a text sent under another spelling (`FriendlyName`) is the one it shows (`friendly_name`).
    const spelled = respell ? respellings(value, properties) : NO_SPELLINGS;
    for (const [sent, member] of Object.entries(value)) {
      const name = spelled.get(sent) ?? sent;
      const property = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (!property || (property.writeOnly && !writeOnly) || name === names || (depth === 0 && name === skip)) continue;
      const where = appendPointer(pointer, name);
      // The schema read against may hold another kind there (a URL sent, an object answered): no text of it.
      const types = declaredTypes(flatten(property));
      if (typeof member === 'string' && (!types || types.has('string'))) leaves.push([where, member, property]);
      else if (items && Array.isArray(member) && (!types || types.has('array')))
        leaves.push(...listTexts(member, property, where));
      else if (
        depth === 0 &&
        isObject(member) &&
        !Object.keys(objectProperties(property) ?? {}).some((n) => ID_NAMED.test(n))
      )
        walk(member, property, where, depth + 1);
    }
  };
  walk(body, schema, '', 0);
  return leaves;
}

/** The text items of a list, each with the schema its position gives it (`prefixItems`, else `items`). */
function listTexts(list: unknown[], schema: JsonSchema, pointer: string): TextLeaf[] {
  const flat = flatten(schema);
  return list.flatMap((item, index): TextLeaf[] => {
    const itemSchema = subschema(flat.prefixItems?.[index] ?? flat.items);
    const types = declaredTypes(flatten(itemSchema));
    if (typeof item !== 'string' || (types && !types.has('string'))) return [];
    return [[appendPointer(pointer, String(index)), item, itemSchema, { pointer, schema }]];
  });
}

/**
 * The body with each valid text value `textLeaves` finds (not an `enum`, `const` or read-only one)
 * made its own, copied only where one changes: a stamp of the run's seed, so another run against the
 * same server (another seed) does not meet this one's values either. The text items of a list are
 * stamped too, under their item schema: a list of emails a server holds unique is refused as a field is.
 */
export function stampTexts(
  body: unknown,
  schema: JsonSchema,
  stamps: Stamps,
  record = '',
  scopes: ReadonlyMap<string, string | undefined> = new Map(),
  shown?: JsonSchema,
): unknown {
  const at = recordIn(body, record);
  if (at !== '') {
    // A body that wraps its record (`{"contact": {...}}`): the record's texts are stamped, not passed over
    // as another record's.
    const inner = schemaAt(schema, at);
    const part = getPointer(body, at);
    const stampedPart = inner ? stampTexts(part, inner, stamps, '', scopes, shown) : part;
    if (stampedPart === part) return body;
    const whole = structuredClone(body);
    setPointer(whole, at, stampedPart);
    return whole;
  }
  let copy: unknown;
  // The lists whose items were stamped, by pointer, and whether each list fits its own schema as sent.
  const stampedLists = new Map<string, JsonSchema>();
  const fitting = new Map<string, boolean>();
  // A write-only email a record is named by (`/contacts/{email}`) is as unique as any other.
  for (const [pointer, value, property, list] of textLeaves(body, schema, undefined, true, false, true)) {
    if (property.readOnly || property.enum || property.const !== undefined) continue;
    if (list && (list.schema.readOnly || list.schema.enum || list.schema.const !== undefined)) continue;
    const name = plainName(parsePointer(list?.pointer ?? pointer).at(-1) ?? '');
    if (scopes.has(name)) {
      // The scope the config file gives (your own location) is the one every record is made in; a list
      // of scopes is left as it is, since writing the one given into each item would make them equal.
      const given = scopes.get(name);
      if (!list && given !== undefined && given !== value) {
        copy ??= structuredClone(body);
        setPointer(copy, pointer, given);
      }
      continue;
    }
    // A text holding JSON (an import's `params`) would be broken by a stamp.
    if (holdsJson(value)) continue;
    if (list) {
      // A list breaking its own rules (too many items, duplicates under `uniqueItems`) is a negative case's
      // violation: stamping its items could mend it, so it is sent as generated.
      if (!fitting.has(list.pointer))
        fitting.set(list.pointer, stamps.fits(list.schema, getPointer(body, list.pointer)));
      if (!fitting.get(list.pointer)) continue;
    }
    // The items of one list claim their values together, so no two of them become equal; and a value
    // taken in one case's list is taken for every other case's list, at any position.
    // A value the record shows in a format (an email `login` a request types as any text) keeps it: the
    // server holds it to the format it shows it in.
    const format = list ? undefined : shownFormat(shown, pointer);
    const kept = format !== undefined && property.format === undefined ? { ...property, format } : property;
    const unique = stamps.uniqueValue(`text ${list?.pointer ?? pointer}`, kept, value, stamps.take());
    if (typeof unique !== 'string' || unique === value) continue;
    copy ??= structuredClone(body);
    setPointer(copy, pointer, unique);
    if (list) stampedLists.set(list.pointer, list.schema);
  }
  // Each item fits its own schema; the list as a whole may still ask more (`contains`): then it keeps its texts.
  for (const [at, listSchema] of stampedLists) {
    if (!stamps.fits(listSchema, getPointer(copy, at))) setPointer(copy, at, structuredClone(getPointer(body, at)));
  }
  return copy ?? body;
}

function holdsJson(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const scopesBySpec = new WeakMap<Spec, ReadonlyMap<string, string | undefined>>();

/**
 * The id-named query parameters a read cannot be sent without (`?locationId=` on a list), compared
 * without case or separators, each with the value the config file gives it, if any: a body's text of
 * that name is the scope its record is in (the location a contact belongs to, which its list is asked
 * for by), so a run does not make it unique, and writes the given one. An optional filter
 * (`?externalId=`) scopes nothing: a body's `externalId` is the record's own.
 */
export function scopesOf(spec: Spec): ReadonlyMap<string, string | undefined> {
  let scopes = scopesBySpec.get(spec);
  if (!scopes) {
    const reads = spec.operations.filter((op) => op.method === 'get');
    const parameters = reads.flatMap((op) =>
      op.parameters.filter((p) => p.in === 'query' && p.required && ID_NAMED.test(p.name)),
    );
    const found = new Map<string, string | undefined>();
    for (const parameter of parameters) {
      const name = plainName(parameter.name);
      const given = parameter.given === true && typeof parameter.example === 'string' ? parameter.example : undefined;
      if (given !== undefined || !found.has(name)) found.set(name, given ?? found.get(name));
    }
    scopes = found;
    scopesBySpec.set(spec, scopes);
  }
  return scopes;
}

/** Where a body holds its record: `record` (`/contact`, `/data`) when the body has an object there, else the top. */
export function recordIn(body: unknown, record: string | undefined): string {
  return record !== undefined && record !== '' && isObject(getPointer(body, record)) ? record : '';
}

/** The request-body properties the operation's x-resource compares, with their schemas. */
export function comparedFields(
  operation: Operation,
  bodySchema: JsonSchema,
): { unique: [string, JsonSchema][]; mergeOn?: [string, JsonSchema] } {
  const properties = flatten(bodySchema).properties ?? {};
  const resource = operation.resource;
  const unique = (resource?.unique?.fields ?? []).flatMap((name): [string, JsonSchema][] =>
    properties[name] ? [[name, properties[name]]] : [],
  );
  const on = resource?.merge?.on;
  return { unique, ...(on && properties[on] ? { mergeOn: [on, properties[on]] as [string, JsonSchema] } : {}) };
}

/** Operations that write records by the REST shape alone: which of their values a server holds unique, nobody says. */
const WRITES: ReadonlySet<string> = new Set(['create', 'copy', 'update', 'replace']);

/** The format the record as answered gives a property of its top, when it gives one. */
function shownFormat(shown: JsonSchema | undefined, pointer: string): string | undefined {
  const [name, ...deeper] = parsePointer(pointer);
  const property = shown && name !== undefined && deeper.length === 0 ? objectProperties(shown)?.[name] : undefined;
  const format = property ? flatten(property).format : undefined;
  return typeof format === 'string' ? format : undefined;
}

/**
 * Makes the unique fields and merge keys of a body unique to one case; an invalid unique field stays
 * invalid. A record written by the REST shape alone (no `x-resource` says what a server compares) gets
 * every text value its own: a server that holds names or emails unique, as prose often says, takes
 * every valid case.
 */
export function makeUnique(
  body: unknown,
  operation: Operation,
  bodySchema: JsonSchema,
  ctx: Pick<BuildContext, 'spec' | 'stamps'>,
): unknown {
  const { stamps } = ctx;
  const inferred = resourceModel(ctx.spec).get(operation.operationId);
  // A POST to a collection's path creates there, though no item path says how its records are read
  // back (Brevo's `/contacts/{email}`): a server holding emails unique takes every case too.
  const creates = operation.method === 'post' && restShape(operation.path).idParameter === undefined;
  if (!operation.resource && (creates || (inferred?.inferred && WRITES.has(inferred.resource.action))))
    return stampTexts(body, bodySchema, stamps, inferred?.resource.record, scopesOf(ctx.spec), inferred?.recordSchema);
  // A JSON Patch writes unique values through its operations' paths (`replace /name`).
  if (Array.isArray(body) && operation.resource?.unique) {
    const fields = operation.resource.unique.fields;
    return body.map((op) => {
      if (!isObject(op) || typeof op.path !== 'string' || typeof op.value !== 'string') return op;
      const field = fields.find((f) => op.path === `/${f}`);
      const value = field === undefined ? undefined : stamps.uniqueValue(field, {}, op.value, stamps.take());
      return value === undefined ? op : { ...op, value };
    });
  }
  if (!isObject(body) || !operation.resource) return body;
  const { unique, mergeOn } = comparedFields(operation, bodySchema);
  if (unique.length === 0 && !mergeOn) return body;
  // One stamp per field: two fields of one case must not share a value either.
  const out: Json = { ...body };
  for (const [name, schema] of unique) {
    const stamp = stamps.take();
    // A copy takes what its body leaves out from its source: a unique field left out would be the
    // source's, which is always taken. It gets a value of its own.
    if (operation.resource.action === 'copy' && !Object.hasOwn(out, name)) {
      const value = stamps.uniqueValue(name, schema, `copy ${stamp.text}`, stamp);
      if (value !== undefined) out[name] = value;
      continue;
    }
    const value =
      stamps.uniqueValue(name, schema, out[name], stamp) ?? stamps.uniqueInvalid(name, schema, out[name], stamp);
    if (value !== undefined) out[name] = value;
  }
  if (mergeOn) {
    const [name, schema] = mergeOn;
    const keys = out[name];
    const keySchemas = flatten(schema).properties ?? {};
    if (isObject(keys)) {
      const replaced: Json = { ...keys };
      for (const [key, keySchema] of Object.entries(keySchemas)) {
        const value = stamps.uniqueValue(`${name}.${key}`, keySchema, replaced[key], stamps.take());
        if (value !== undefined) replaced[key] = value;
      }
      out[name] = replaced;
    }
  }
  return out;
}
