/**
 * One AJV (draft 2020-12 + formats) per process and a cache of compiled validators, so each schema is
 * compiled once however many requests or cases use it.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { componentName } from './dereference.js';
import { branchValues, type Discriminator } from './discriminator.js';
import { SpecError } from './errors.js';
import { isObject } from './json.js';
import { escapeToken, getPointer, parsePointer } from './json-pointer.js';
import type { JsonSchema } from './json-schema.js';
import { assumptionsOf, documentedEntries, documentedOnly, marksReachable } from './provenance.js';
import { acyclic, patternRegExp, SCHEMA_MAPS } from './schema.js';

// ajv-formats is CommonJS; under ESM its callable is the default export's default.
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

export interface SchemaValidator {
  (value: unknown): boolean;
  errors: ErrorObject[];
}

/**
 * Signed 64-bit. 2^63 − 1 is not a double: its JSON text (Java's Long.MAX_VALUE) parses to 2^63, so
 * that is in range; the next double up (2^63 + 2048) is the first number beyond it.
 */
export function inInt64Range(value: number): boolean {
  return Number.isInteger(value) && value >= -(2 ** 63) && value <= 2 ** 63;
}

/** The least double above the int64 range: what a value "above the int64 range" is sent as (its negation, below). */
export const ABOVE_INT64 = 2 ** 63 + 2048;

const INT64 = { type: 'number' as const, validate: inInt64Range };

/** `multipleOf: 0.01` holds for 0.07, whose double divided by 0.01 is 7.000000000000001. */
export const MULTIPLE_OF_PRECISION = 9;

/** AJV's `pattern` engine: the one reading of a pattern (lib/schema.ts), so validation and generation agree. */
const PATTERNS = Object.assign((source: string, flags: string) => patternRegExp(source, flags), {
  code: 'patternRegExp',
});

/**
 * AJV for draft 2020-12 with every ajv-formats format, including OpenAPI's: int32 (range), byte
 * (base64), float/double (any number), binary/password (any string). ajv-formats' int64 checks
 * integer-ness only; ours adds the range.
 */
export function createAjv(options: { allErrors?: boolean; verbose?: boolean } = {}): Ajv2020 {
  // strict: false because OpenAPI schemas carry annotations AJV does not know (example, x-...).
  // logger: false: an unknown format (`uint8`, `json`) is an annotation, not something to print per schema.
  // Compiling is most of a cold run's validation cost, paid per schema: AJV's optimisation pass (about a
  // third of it, for generated code a few percent faster) is skipped, and the meta-schema check AJV
  // would compile in every instance (60-80 ms each) is done by one validator per process (get()).
  const ajv = new Ajv2020({
    strict: false,
    allErrors: options.allErrors ?? true,
    validateFormats: true,
    // The schema of each error (`parentSchema`) names the assumption an answer refutes.
    verbose: options.verbose ?? true,
    logger: false,
    validateSchema: false,
    code: { optimize: false, regExp: PATTERNS },
    multipleOfPrecision: MULTIPLE_OF_PRECISION,
  });
  addFormats(ajv);
  ajv.addFormat('int64', INT64);
  return ajv;
}

/** Which rules a validator applies: all of them, or only those the vendor documents (no `x-inferred` ones). */
export type RuleSet = 'all' | 'documented';

/**
 * Which way the value travels. A property marked `readOnly` and `required` is required in responses
 * only, one marked `writeOnly` in requests only (OpenAPI 3.0.3, Schema Object); `any` reads
 * `required` as it stands.
 */
export type Direction = 'any' | 'request' | 'response';

type View = `${RuleSet} ${Direction}`;

/** The `required` of `node` without the properties its direction leaves out; `resolve` follows a `$ref`. */
function requiredFor(
  node: Record<string, unknown>,
  direction: Direction,
  resolve: (n: unknown) => unknown,
  siblings: readonly Record<string, unknown>[] = [],
): unknown {
  const required = node.required;
  if (direction === 'any' || !Array.isArray(required)) return required;
  const flag = direction === 'request' ? 'readOnly' : 'writeOnly';
  const properties = [...propertyMaps(node, resolve), ...siblings];
  const leftOut = (name: unknown) =>
    typeof name === 'string' &&
    properties.some((map) => {
      const property = resolve(map[name]);
      return property !== null && typeof property === 'object' && (property as Record<string, unknown>)[flag] === true;
    });
  return required.some(leftOut) ? required.filter((name) => !leftOut(name)) : required;
}

/** The `properties` maps of a schema and of its `allOf` parts, at any depth, `$ref`s followed. */
function propertyMaps(
  node: unknown,
  resolve: (n: unknown) => unknown,
  seen = new Set<unknown>(),
): Record<string, unknown>[] {
  const schema = resolve(node);
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const { properties, allOf } = schema as Record<string, unknown>;
  const own = properties !== null && typeof properties === 'object' ? [properties as Record<string, unknown>] : [];
  return [...own, ...(Array.isArray(allOf) ? allOf.flatMap((part) => propertyMaps(part, resolve, seen)) : [])];
}

/**
 * The document as requests or responses read it (`requiredFor` on every schema), copied only where
 * it changes. An `allOf` part's `required` sees the properties of every part beside it
 * (`allOf: [Base, {required: [id, email]}]` with Base's `id` readOnly).
 */
function directed<T>(document: T, direction: Direction): T {
  if (direction === 'any') return document;
  const resolve = resolverIn(document);
  const siblings = new Map<object, Record<string, unknown>[]>();
  return rewritten(document, {
    keep: (key) => ANNOTATIONS.has(key) || key === 'examples',
    before: (record) => {
      if (!Array.isArray(record.allOf)) return;
      const all = propertyMaps(record, resolve);
      for (const part of record.allOf) {
        const target = resolve(part);
        if (target !== null && typeof target === 'object' && !siblings.has(target)) siblings.set(target, all);
      }
    },
    change: (record, members) => {
      const required = requiredFor(record, direction, resolve, siblings.get(record));
      return required === record.required ? undefined : { ...members(), required };
    },
  });
}

/**
 * A discriminated `oneOf`/`anyOf` as OpenAPI reads it: the discriminator's value chooses the branch,
 * which JSON Schema alone does not do. Each branch that leaves the property open takes only the values
 * naming it (lib/discriminator.ts), so branches that overlap (the specification's own Cat, Dog and
 * Lizard) accept one value each, not every one. The values per branch (undefined: left as it is), or
 * undefined when nothing is pinned. `named` follows a branch to its schema and that schema's name.
 */
function discriminatorPins(
  node: Record<string, unknown>,
  resolve: (n: unknown) => unknown,
  named: (branch: unknown) => string | undefined,
): { key: 'oneOf' | 'anyOf'; property: string; values: (string[] | undefined)[] } | undefined {
  const discriminator = node.discriminator;
  if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') return undefined;
  const key = Array.isArray(node.oneOf) ? 'oneOf' : Array.isArray(node.anyOf) ? 'anyOf' : undefined;
  if (!key) return undefined;
  const values = (node[key] as unknown[]).map((branch) => {
    const found = branchValues(discriminator as unknown as Discriminator, branch, named(branch), resolve);
    return found.pinned ? found.values : undefined;
  });
  return values.some((v) => v !== undefined) ? { key, property: discriminator.propertyName, values } : undefined;
}

/** A schema's name: that of the `components/schemas` entry its `$ref`s lead to, else the one it has there, else its title. */
function nameIn(document: unknown): (branch: unknown) => string | undefined {
  return (branch) => {
    let node = branch;
    let name: string | undefined;
    const seen = new Set<unknown>();
    while (isObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#') && !seen.has(node)) {
      seen.add(node);
      const pointer = decodeURIComponent(node.$ref.slice(1));
      const component = /^\/components\/schemas\/([^/]+)$/.exec(pointer)?.[1];
      if (component !== undefined) name = component.replaceAll('~1', '/').replaceAll('~0', '~');
      node = getPointer(document, pointer);
    }
    if (name !== undefined || !isObject(node)) return name;
    return componentName(node) ?? (typeof node.title === 'string' ? node.title : undefined);
  };
}

/** `branch` taking only `values` at `property`. */
const pinned = (branch: unknown, property: string, values: string[] | undefined): unknown =>
  values === undefined ? branch : { allOf: [branch, { properties: { [property]: { enum: values } } }] };

/**
 * `value` with every discriminated `oneOf`/`anyOf` as `discriminatorPins` reads it, copied only where
 * it changes; its `$ref`s lead into `document`.
 */
function discriminated<T>(value: T, document: unknown = value): T {
  const resolve = resolverIn(document);
  const named = nameIn(document);
  return rewritten(value, {
    keep: (key) => ANNOTATIONS.has(key) || key === 'examples',
    change: (record, members) => {
      const pins = discriminatorPins(record, resolve, named);
      if (!pins) return undefined;
      const copy = members();
      copy[pins.key] = (copy[pins.key] as unknown[]).map((b, i) => pinned(b, pins.property, pins.values[i]));
      return copy;
    },
  });
}

/** Follows `$ref`s inside `document` to what they name. */
function resolverIn(document: unknown): (node: unknown) => unknown {
  const resolve = (node: unknown, seen = new Set<unknown>()): unknown => {
    const ref = isObject(node) ? node.$ref : undefined;
    if (typeof ref !== 'string' || !ref.startsWith('#') || seen.has(node)) return node;
    seen.add(node);
    return resolve(getPointer(document, decodeURIComponent(ref.slice(1))), seen);
  };
  return resolve;
}

const unresolved = (node: unknown): unknown => node;
/** The name of a schema of a dereferenced document (no `$ref` left to follow). */
const nameHere = nameIn(undefined);

interface RegisteredSpec {
  file: string | undefined;
  source: Record<string, unknown>;
  origins: WeakMap<object, string>;
  uri: string;
  /** Whether the document marks any rule `x-inferred`: without one, both rule sets are the same. */
  inferred: boolean;
  /** The directions whose reading of `required` differs from the document's own. */
  directions: Direction[];
  /** The views of the document added to AJV so far, by their URI (each added on first use). */
  views: Set<string>;
}

interface Origins {
  file: string | undefined;
  /** Held weakly: a spec reloaded by the mock's --watch takes its origins with it. */
  origins: WeakRef<WeakMap<object, string>>;
}

/**
 * The origins of every live spec any cache registered: a schema compiled as it is (the generators'
 * own cache registers no spec, a schema built at run time holds members of one) can still be named
 * by file and pointer when it is refused.
 */
let knownOrigins: Origins[] = [];

function originOf(node: object): { file: string | undefined; pointer: string } | undefined {
  for (const known of knownOrigins) {
    const pointer = known.origins.deref()?.get(node);
    if (pointer !== undefined) return { file: known.file, pointer };
  }
  return undefined;
}

/**
 * Compiled validators, once per schema object and rule set. A schema that came from a registered
 * spec is compiled as a reference into that spec's document, so AJV resolves its `$ref`s (recursion
 * included) exactly as the document states them; other schemas are compiled as they are.
 */
export class ValidatorCache {
  private readonly ajv: Ajv2020;
  /** Set for a cache whose callers only ask yes or no: see shared(). */
  private readonly sharing?: {
    ids: Map<View, WeakMap<object, string>>;
    byText: Map<string, string>;
    count: number;
  };

  /**
   * `yesOrNo`: the callers read whether a value is valid, never why. Then AJV stops at the first
   * error, and schemas that are not a registered spec's are compiled as a root referring to each of
   * their subschemas, every subschema compiled once for all the roots reaching it (AJV's error paths
   * would stop at a subschema).
   */
  constructor(options: { yesOrNo?: boolean } = {}) {
    // A yes or no reads no error, so none needs its schema: less code to generate for every schema.
    this.ajv = createAjv({ allErrors: !options.yesOrNo, verbose: !options.yesOrNo });
    if (options.yesOrNo) this.sharing = { ids: new Map(), byText: new Map(), count: 0 };
  }

  private readonly compiled = new Map<View, WeakMap<JsonSchema, SchemaValidator>>();
  private readonly byText = new Map<View, Map<string, SchemaValidator>>();
  private readonly specs: RegisteredSpec[] = [];
  /** Schemas outside any spec whose `required` no direction changes: one validator serves all three. */
  private readonly undirected = new WeakMap<JsonSchema, boolean>();

  /** Makes the spec's schemas compile by reference into its document (and its documented-only twin). */
  register(spec: { file?: string; source: Record<string, unknown>; origins: WeakMap<object, string> }): void {
    if (this.specs.some((s) => s.origins === spec.origins)) return;
    const uri = `urn:contact-api-contracts:spec:${this.specs.length}`;
    knownOrigins = knownOrigins.filter((known) => known.origins.deref() !== undefined);
    if (!knownOrigins.some((known) => known.origins.deref() === spec.origins))
      knownOrigins.push({ file: spec.file, origins: new WeakRef(spec.origins) });
    this.specs.push({
      file: spec.file,
      source: spec.source,
      origins: spec.origins,
      uri,
      inferred: assumptionsOf(spec.source).length > 0,
      directions: (['request', 'response'] as const).filter((d) => directed(spec.source, d) !== spec.source),
      views: new Set(),
    });
  }

  /** `direction`: which way the value travels, for `required` properties marked readOnly or writeOnly. */
  get(schema: JsonSchema, rules: RuleSet = 'all', direction: Direction = 'any'): SchemaValidator {
    const spec = this.specs.find((s) => s.origins.has(schema));
    // A schema no inferred rule can be reached from compiles once, not once per rule set; one whose
    // `required` no direction changes, once for every direction.
    if (rules === 'documented' && spec && !(spec.inferred && this.marked(spec, schema))) rules = 'all';
    if (direction !== 'any' && (spec ? !spec.directions.includes(direction) : this.isUndirected(schema)))
      direction = 'any';
    const view: View = `${rules} ${direction}`;
    let cache = this.compiled.get(view);
    if (!cache) this.compiled.set(view, (cache = new WeakMap()));
    let validator = cache.get(schema);
    if (!validator) {
      const compilable = this.compilable(schema, rules, direction, spec);
      // A schema built at run time is often built again, equal: each text is compiled once.
      const text = JSON.stringify(compilable);
      let texts = this.byText.get(view);
      if (!texts) this.byText.set(view, (texts = new Map()));
      validator = texts.get(text);
      if (!validator) {
        validator = wrap(this.compile(schema, compilable));
        texts.set(text, validator);
      }
      cache.set(schema, validator);
    }
    return validator;
  }

  /** Whether an inferred rule can be reached from the spec's schema: without one, both rule sets are the same. */
  private marked(spec: RegisteredSpec, schema: JsonSchema): boolean {
    const pointer = spec.origins.get(schema);
    return pointer === undefined || marksReachable(spec.source, pointer);
  }

  private isUndirected(schema: JsonSchema): boolean {
    let known = this.undirected.get(schema);
    if (known === undefined) {
      known = directed(schema, 'request') === schema && directed(schema, 'response') === schema;
      this.undirected.set(schema, known);
    }
    return known;
  }

  /** The URI of the spec's document as `rules` and `direction` read it, added to AJV on first use. */
  private viewUri(spec: RegisteredSpec, rules: RuleSet, direction: Direction): string {
    const uri = `${spec.uri}${rules === 'documented' ? ':documented' : ''}${direction === 'any' ? '' : `:${direction}`}`;
    if (!spec.views.has(uri)) {
      const document = rules === 'documented' ? documentedOnly(spec.source) : spec.source;
      // An OpenAPI document is not itself a schema: only the schemas inside it are compiled, on demand.
      const view = discriminated(directed(document, direction), document);
      this.ajv.addSchema(withoutEmptyEnums(view), uri, undefined, false);
      spec.views.add(uri);
    }
    return uri;
  }

  /**
   * A schema AJV refuses (`minLength: "1"`, a pattern that is no regular expression) is the spec's
   * fault. A schema compiled as it is (not by reference into a registered document) is first checked
   * against the draft's meta-schema, as AJV's own `validateSchema` did, so that a malformed one
   * (`properties: { name: string }`) is refused rather than read as "anything".
   */
  private compile(schema: JsonSchema, compilable: JsonSchema | { $ref: string }): ValidateFunction {
    const spec = this.specs.find((s) => s.origins.has(schema));
    const pointer = spec?.origins.get(schema);
    const at = (where: string) => `${spec?.file ?? 'the spec'}: the schema at #${where}`;
    const invalid = spec ? undefined : metaSchemaErrors(compilable);
    if (invalid !== undefined) throw new SpecError(invalidOwnSchema(schema, invalid));
    try {
      return this.ajv.compile(compilable);
    } catch (error) {
      if (!spec || pointer === undefined) throw new SpecError(`a schema cannot be used: ${(error as Error).message}`);
      // AJV's message has no path: the schema it came from may be one this one only `$ref`s.
      const found = firstInvalidSchema(spec.source, pointer);
      throw new SpecError(
        found
          ? `${at(found.pointer)} cannot be used: schema is invalid: ${found.problems}`
          : `${at(pointer)} cannot be used: ${(error as Error).message}`,
      );
    }
  }

  private compilable(
    schema: JsonSchema,
    rules: RuleSet,
    direction: Direction,
    spec: RegisteredSpec | undefined,
  ): JsonSchema | { $ref: string } {
    const pointer = spec?.origins.get(schema);
    if (spec && pointer !== undefined) {
      const fragment = pointer.split('/').map(encodeURIComponent).join('/');
      return { $ref: `${this.viewUri(spec, rules, direction)}#${fragment}` };
    }
    const shared = this.sharing && this.shared(schema, rules, direction);
    if (shared) return shared;
    // A schema built outside a spec may still be recursive: AJV needs its cycles as references.
    // Pinned before `documentedOnly` copies the schemas: a copy has lost its name under components.
    const pinnedTree = discriminated(schema);
    const tree = acyclic(rules === 'documented' ? (documentedOnly(pinnedTree) as JsonSchema) : pinnedTree);
    return withoutEmptyEnums(directed(tree, direction));
  }

  /**
   * The schema as a reference to its shared copy: each subschema that has subschemas of its own is
   * added to AJV once, under an id, and referred to by that id wherever it is reached (a cycle
   * included), so AJV compiles it once for every root reaching it, where a tree copied per root
   * compiles it again for each (a large document's schema graph took the generators tens of
   * seconds). Copies equal in text share one id. Undefined for a schema naming URIs or anchors
   * (`$ref`, `$id`...), which only mean something where they stand: it is compiled as a tree.
   */
  private shared(schema: JsonSchema, rules: RuleSet, direction: Direction): { $ref: string } | undefined {
    const sharing = this.sharing!;
    if (typeof schema !== 'object' || schema === null) return undefined;
    const view: View = `${rules} ${direction}`;
    let ids = sharing.ids.get(view);
    if (!ids) sharing.ids.set(view, (ids = new WeakMap()));
    const known = ids.get(schema);
    if (known !== undefined) return { $ref: known };
    const made = new Map<object, string>();
    const added: { id: string; text: string; copy: Record<string, unknown> }[] = [];
    const texts = new Map<string, string>();
    const building = new Set<object>();
    const early = new Map<object, string>();
    const nextId = () => `urn:contact-api-contracts:shared:${sharing.count++}`;
    const idOf = (node: object, at: string): string => {
      const id = ids.get(node) ?? made.get(node);
      if (id !== undefined) return id;
      if (building.has(node)) {
        // A cycle: the node is named before its copy is done.
        const named = early.get(node) ?? nextId();
        early.set(node, named);
        return named;
      }
      building.add(node);
      const copy = copyOf(node, at);
      building.delete(node);
      const text = JSON.stringify(copy);
      let named = early.get(node) ?? sharing.byText.get(text) ?? texts.get(text);
      if (named === undefined || early.has(node)) {
        named ??= nextId();
        const invalid = metaSchemaErrors(copy);
        if (invalid !== undefined) throw new SpecError(invalidOwnSchema(node as JsonSchema, invalid, at));
        added.push({ id: named, text, copy });
        texts.set(text, named);
      }
      made.set(node, named);
      return named;
    };
    const member = (value: unknown, at: string): unknown =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? hasSubschemas(value)
          ? { $ref: idOf(value, at) }
          : copyOf(value, at)
        : value;
    /** `at`: where the node stands under the root first reaching it, for a message about it. */
    const copyOf = (node: object, at: string): Record<string, unknown> => {
      const copy: Record<string, unknown> = {};
      for (const [key, value] of rules === 'documented' ? documentedEntries(node) : Object.entries(node)) {
        if (NAMING.has(key)) throw NAMES_URIS;
        if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
        const kind = subschemaKind(key, value);
        const under = `${at}/${escapeToken(key)}`;
        if (kind === 'one') copy[key] = member(value, under);
        else if (kind === 'list') copy[key] = (value as unknown[]).map((sub, i) => member(sub, `${under}/${i}`));
        else if (kind === 'map')
          copy[key] = Object.fromEntries(
            Object.entries(value as object).map(([name, sub]) => [
              name,
              Array.isArray(sub) ? sub : member(sub, `${under}/${escapeToken(name)}`),
            ]),
          );
        else {
          copy[key] = rules === 'documented' ? documentedOnly(value) : value;
          if (key === 'required') copy[key] = requiredFor({ ...node, required: copy[key] }, direction, (n) => n);
        }
      }
      if (Array.isArray(copy.enum) && copy.enum.length === 0) {
        delete copy.enum;
        copy.allOf = [...(Array.isArray(copy.allOf) ? copy.allOf : []), false];
      }
      const pins = discriminatorPins(node as Record<string, unknown>, unresolved, nameHere);
      if (pins && Array.isArray(copy[pins.key]))
        copy[pins.key] = (copy[pins.key] as unknown[]).map((b, i) => pinned(b, pins.property, pins.values[i]));
      return copy;
    };
    let root: string;
    try {
      root = idOf(schema, '');
    } catch (error) {
      if (error === NAMES_URIS) return undefined;
      throw error;
    }
    for (const { id, text, copy } of added) {
      this.ajv.addSchema(copy, id);
      sharing.byText.set(text, id);
    }
    for (const [node, id] of made) ids.set(node, id);
    return { $ref: root };
  }
}

/** Keywords whose meaning depends on where the schema stands: such a schema is not split up. */
const NAMING = new Set([
  '$ref',
  '$id',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
  '$recursiveAnchor',
  '$schema',
]);
const NAMES_URIS = Symbol('names URIs');

/** OpenAPI's annotations, which the draft's meta-schema does not check either. */
const ANNOTATIONS = new Set(['example', 'externalDocs', 'xml']);

/** Keywords whose value is a subschema, a list of them, or a map of names to them (`dependencies`: or to lists of names). */
const ONE_SCHEMA = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
]);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** How a keyword's value holds subschemas; undefined for a keyword whose value is data (or none AJV knows). */
function subschemaKind(key: string, value: unknown): 'one' | 'list' | 'map' | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return SCHEMA_LISTS.has(key) || key === 'items' ? 'list' : undefined;
  if (ONE_SCHEMA.has(key)) return 'one';
  return SCHEMA_MAPS.has(key) || key === 'dependencies' ? 'map' : undefined;
}

function hasSubschemas(node: object): boolean {
  const isSchemaObject = (sub: unknown) => sub !== null && typeof sub === 'object' && !Array.isArray(sub);
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    const kind = subschemaKind(key, value);
    if (kind && (kind === 'one' ? [value] : Object.values(value as object)).some(isSchemaObject)) return true;
  }
  return false;
}

/**
 * `enum: []` is legal JSON Schema (no value is in it) but AJV refuses to compile it: it becomes
 * `allOf: [..., false]`, which accepts nothing just the same. The value is copied only where one is
 * found (members of a document that have none are shared, not copied).
 */
export function withoutEmptyEnums<T>(value: T): T {
  return rewritten(value, {
    change: (record, members) => {
      if (!Array.isArray(record.enum) || record.enum.length > 0) return undefined;
      const { enum: _empty, ...rest } = members();
      return { ...rest, allOf: [...(Array.isArray(rest.allOf) ? rest.allOf : []), false] };
    },
  });
}

/** How `rewritten` treats an object: what it changes, which members it leaves as data, what it notes first. */
interface Rewrite {
  /** The object's new form from its rewritten members, or undefined for no change of its own. */
  change(record: Record<string, unknown>, members: () => Record<string, unknown>): Record<string, unknown> | undefined;
  /** Members that are data, never rewritten. */
  keep?(key: string): boolean;
  /** Called before the object's members are rewritten. */
  before?(record: Record<string, unknown>): void;
}

/**
 * A copy of `value` in which `rules.change` rewrote some objects, members first. What holds nothing
 * rewritten is shared, not copied; until its members are done, a node stands for itself (a cycle back
 * to it is left as it is).
 */
function rewritten<T>(value: T, rules: Rewrite): T {
  const copies = new Map<object, unknown>();
  const rewrite = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (copies.has(node)) return copies.get(node);
    copies.set(node, node);
    let copy: unknown = node;
    if (Array.isArray(node)) {
      const items = node.map(rewrite);
      if (items.some((item, i) => item !== node[i])) copy = items;
    } else {
      const record = node as Record<string, unknown>;
      rules.before?.(record);
      const entries = Object.entries(record).map(
        ([key, member]) => [key, rules.keep?.(key) ? member : rewrite(member)] as const,
      );
      const members = (): Record<string, unknown> => Object.fromEntries(entries);
      const changed = rules.change(record, members);
      if (changed) copy = changed;
      else if (entries.some(([key, member]) => member !== record[key])) copy = members();
    }
    copies.set(node, copy);
    return copy;
  };
  return rewrite(value) as T;
}

let metaSchema: { ajv: Ajv2020; validate: ValidateFunction } | undefined;

/** What makes a schema invalid under draft 2020-12's meta-schema, compiled once per process; undefined if valid. */
function metaSchemaErrors(schema: unknown): ErrorObject[] | undefined {
  if (!metaSchema) {
    const ajv = new Ajv2020({ strict: false, logger: false });
    metaSchema = { ajv, validate: ajv.getSchema('https://json-schema.org/draft/2020-12/schema')! };
  }
  if (metaSchema.validate(schema)) return undefined;
  return [...(metaSchema.validate.errors ?? [])];
}

/** Meta-schema errors as `schema/minLength must be integer`, their paths taken from `prefix` on. */
function problemsText(errors: readonly ErrorObject[], prefix = ''): string {
  return errors
    .filter((error) => error.instancePath === prefix || error.instancePath.startsWith(`${prefix}/`))
    .map((error) => `schema${error.instancePath.slice(prefix.length)} ${error.message ?? 'is invalid'}`)
    .join(', ');
}

function metaSchemaProblems(schema: unknown): string | undefined {
  const errors = metaSchemaErrors(schema);
  return errors && problemsText(errors);
}

/**
 * Why a schema compiled as it is cannot be used, naming the spec file and the pointer of the
 * innermost object on the way to the first problem that came from a spec, when one did.
 */
/** `at`: where the refused schema stands in the one compiled, said when no spec names it. */
function invalidOwnSchema(schema: JsonSchema, errors: readonly ErrorObject[], at = ''): string {
  let named = originOf(schema);
  let prefix = '';
  let node: unknown = schema;
  const tokens = parsePointer(errors[0]?.instancePath ?? '');
  for (let i = 0; i < tokens.length; i++) {
    node = (node as Record<string, unknown>)[tokens[i]!];
    if (node === null || typeof node !== 'object') break;
    const origin = originOf(node);
    if (origin) {
      named = origin;
      prefix = `/${tokens
        .slice(0, i + 1)
        .map(escapeToken)
        .join('/')}`;
    }
  }
  const problems = named
    ? problemsText(errors, prefix)
    : problemsText(errors.map((error) => ({ ...error, instancePath: `${at}${error.instancePath}` })));
  return named
    ? `${named.file ?? 'the spec'}: the schema at #${named.pointer} cannot be used: schema is invalid: ${problems}`
    : `a schema cannot be used: schema is invalid: ${problems}`;
}

/**
 * The first schema, from `pointer` through the document's `$ref`s, that breaks the meta-schema, with
 * what breaks it: where a schema AJV refused to compile went wrong.
 */
function firstInvalidSchema(source: unknown, pointer: string): { pointer: string; problems: string } | undefined {
  const seen = new Set<string>();
  const queue = [pointer];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (seen.has(at)) continue;
    seen.add(at);
    let node: unknown;
    try {
      node = getPointer(source, at);
    } catch {
      continue;
    }
    const problems = metaSchemaProblems(node);
    if (problems !== undefined) return { pointer: at, problems };
    const stack: unknown[] = [node];
    while (stack.length > 0) {
      const next = stack.pop();
      if (next === null || typeof next !== 'object') continue;
      const ref = (next as { $ref?: unknown }).$ref;
      if (typeof ref === 'string' && ref.startsWith('#')) queue.push(decodeURIComponent(ref.slice(1)));
      stack.push(...Object.values(next));
    }
  }
  return undefined;
}

/**
 * The validator and its last errors. Callers read `errors` right after validating, so one wrapper
 * per compiled schema serves every call.
 */
function wrap(fn: ValidateFunction): SchemaValidator {
  const wrapper = ((value: unknown) => {
    const ok = fn(value) as boolean;
    wrapper.errors = ok ? [] : [...(fn.errors ?? [])];
    return ok;
  }) as SchemaValidator;
  wrapper.errors = [];
  return wrapper;
}
