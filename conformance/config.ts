/**
 * `conformance.config.yaml` (or `.yml`, `.json`, or a `conformance` key in package.json): the APIs
 * a run checks, each with its spec, base URL, headers, query and cookie API keys, parameter values,
 * checks, per-operation overrides and run options. Values may use `${VAR}` (or `${VAR:-default}`)
 * from the environment; a variable that is not set is an error, never an empty string. The file is
 * checked against a JSON Schema and every problem is reported at once, each with its line and
 * column. Paths in the file are relative to the file's directory. Command-line flags win over the file.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { type Document, isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import { formatAjvErrors } from '../lib/ajv-errors.js';
import type { Rate as RateLimit } from '../lib/extensions.js';
import { isObject } from '../lib/json.js';
import { CHECK_NAMES } from './checks/registry.js';
import { MAX_CASES_LIMIT } from './defaults.js';
import { ConfigError } from './errors.js';
import {
  flagOrigin,
  HEADER_NAME,
  headerValueProblem,
  LIMITS,
  parseRateLimit,
  RESERVED_HEADERS,
  rateLimitProblem,
  reservedHeaderReason,
  suggestion,
} from './options.js';
import type { OperationOverride, Origin } from './overrides.js';
import type { ApiRun, RunManyOptions, RunOptions } from './run.js';

/** Looked for, in this order, in the working directory when no --spec and no --config is given. */
export const CONFIG_FILES = ['conformance.config.yaml', 'conformance.config.yml', 'conformance.config.json'];

const STATUSES = { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } };
const CHECKS = { type: 'array', items: { enum: CHECK_NAMES } };

/** Options an API takes and `defaults` gives every API. */
const RUN_OPTIONS = {
  headers: { type: 'object', additionalProperties: { type: 'string' } },
  queryCredentials: { type: 'object', additionalProperties: { type: 'string' } },
  cookieCredentials: { type: 'object', additionalProperties: { type: 'string' } },
  parameters: { type: 'object' },
  checks: CHECKS,
  excludeChecks: CHECKS,
  live: { type: 'boolean' },
  seed: { type: 'integer', minimum: 0 },
  maxCases: { type: 'integer', minimum: 1, maximum: MAX_CASES_LIMIT },
  random: { type: 'boolean' },
  concurrency: { type: 'integer', minimum: 1, maximum: LIMITS.concurrency },
  timeout: { type: 'integer', minimum: 1, maximum: LIMITS.timeoutMs },
  rateLimit: { type: 'string' },
  throttleWait: { type: 'integer', minimum: 0, maximum: LIMITS.throttleWaitSeconds },
  strict: { type: 'boolean' },
  cleanup: { type: 'boolean' },
} as const;

const OPERATION = {
  type: 'object',
  additionalProperties: false,
  properties: {
    skip: { type: 'boolean' },
    expectedStatuses: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { positive: STATUSES, negative: STATUSES, auth: STATUSES },
    },
    parameters: { type: 'object' },
  },
};

export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['apis'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    defaults: { type: 'object', additionalProperties: false, properties: RUN_OPTIONS },
    reports: {
      type: 'object',
      additionalProperties: false,
      properties: {
        json: { type: 'string', minLength: 1 },
        junit: { type: 'string', minLength: 1 },
        html: { type: 'string', minLength: 1 },
        har: { type: 'string', minLength: 1 },
      },
    },
    apis: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['spec'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
          spec: { type: 'string', minLength: 1 },
          baseUrl: { type: 'string', minLength: 1 },
          overlay: { type: 'string', minLength: 1 },
          operations: { type: 'object', additionalProperties: OPERATION },
          ...RUN_OPTIONS,
        },
      },
    },
  },
} as const;

type Path = readonly (string | number)[];

interface RawOptions {
  headers?: Record<string, string>;
  queryCredentials?: Record<string, string>;
  cookieCredentials?: Record<string, string>;
  parameters?: Record<string, unknown>;
  checks?: string[];
  excludeChecks?: string[];
  live?: boolean;
  seed?: number;
  maxCases?: number;
  random?: boolean;
  concurrency?: number;
  timeout?: number;
  rateLimit?: string;
  throttleWait?: number;
  strict?: boolean;
  cleanup?: boolean;
}

interface RawApi extends RawOptions {
  name?: string;
  spec: string;
  baseUrl?: string;
  overlay?: string;
  operations?: Record<string, OperationOverride>;
}

interface RawConfig {
  defaults?: RawOptions;
  reports?: { json?: string; junit?: string; html?: string; har?: string };
  apis: RawApi[];
}

export interface Config {
  /** The file as shown in messages (relative to the working directory). */
  file: string;
  apis: ApiRun[];
  reports: { json?: string; junit?: string; html?: string; har?: string };
}

export interface ConfigContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** `apis[0].headers.Authorization`: a path as a person reads it. */
export function showPath(path: Path): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}

/** Where each value of the file is: `file:line:col` for a path, from the parsed document. */
class Locator {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    /** The config's place in the document (`conformance` in package.json). */
    private readonly root: Path,
  ) {}

  /** `file:line:col` of the value at path, or of its key when `key` is set; of the nearest existing parent otherwise. */
  at(path: Path, key = false): string {
    return this.find(path, key).position;
  }

  find(path: Path, key = false): { offset: number; position: string } {
    const full = [...this.root, ...path];
    for (let depth = full.length; depth >= 0; depth--) {
      const node = this.node(full.slice(0, depth), key && depth === full.length);
      if (node?.range) return { offset: node.range[0], position: this.position(node.range[0]) };
    }
    return { offset: 0, position: this.position(0) };
  }

  has(path: Path): boolean {
    return this.node([...this.root, ...path], false) !== undefined;
  }

  private node(path: Path, key: boolean): Node | undefined {
    if (!key) {
      const found = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
      return found && typeof found === 'object' && 'range' in found ? (found as Node) : undefined;
    }
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === path.at(-1));
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }

  position(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.file}:${line}:${col}`;
  }
}

/** Gathers every problem, then fails once with all of them on one line, in the file's order. */
class Problems {
  private readonly list: { offset: number; text: string }[] = [];
  /** Values a problem was found in already: a second message about them would only repeat it. */
  readonly reported = new Set<string>();
  constructor(private readonly locator: Locator) {}

  add(path: Path, message: string, key = false): void {
    const { offset, position } = this.locator.find(path, key);
    const text = `${position}: ${showPath(path)}${path.length > 0 ? ' ' : ''}${message}`;
    this.reported.add(showPath(path));
    // A problem of `defaults` is found once per API that inherits it: said once.
    if (!this.list.some((p) => p.text === text)) this.list.push({ offset, text });
  }

  check(): void {
    if (this.list.length === 0) return;
    throw new ConfigError(
      this.list
        .sort((a, b) => a.offset - b.offset)
        .map((p) => p.text)
        .join('; '),
    );
  }
}

/** The config file of a directory, if it has one: a file of CONFIG_FILES, or package.json's `conformance` key. */
export async function findConfig(cwd: string): Promise<string | undefined> {
  for (const name of CONFIG_FILES) {
    const file = resolve(cwd, name);
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  const pkg = resolve(cwd, 'package.json');
  const text = await readFile(pkg, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // It may well hold the config this run is looking for: "no config here" would send the user elsewhere.
    throw new ConfigError(`${shownFrom(cwd, pkg)}: cannot parse: ${(error as Error).message.split('\n')[0]}`);
  }
  return parsed && typeof parsed === 'object' && 'conformance' in parsed ? pkg : undefined;
}

/** A file as messages name it: relative to the working directory, unless that climbs out of it. */
function shownFrom(cwd: string, absolute: string): string {
  const near = relative(cwd, absolute);
  return near === '' || near.startsWith('..') ? absolute : near;
}

const VARIABLE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** `${VAR}` and `${VAR:-default}` in every string value; `$${` is a literal `${`. */
function substitute(value: unknown, path: Path, env: ConfigContext['env'], problems: Problems): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (match, inner: string | undefined) => {
      if (inner === undefined) return '${';
      const parsed = NAME.exec(inner);
      if (!parsed) {
        problems.add(path, `has ${match}, which is not a variable (use \${NAME} or \${NAME:-default})`);
        return '';
      }
      const found = env[parsed[1]!];
      if (found !== undefined && found !== '') return found;
      if (parsed[2] !== undefined) return parsed[2];
      problems.add(path, `uses \${${parsed[1]}}, but the environment variable ${parsed[1]} is not set`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substitute(item, [...path, i], env, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, [...path, key], env, problems)]),
    );
  }
  return value;
}

let compiled: ReturnType<Ajv2020['compile']> | undefined;

function validator(): ReturnType<Ajv2020['compile']> {
  // Types are coerced so that `${PORT}` can fill an integer and `Customer-Id: 14532` a header text. The
  // schema is ours and fixed (a test compiles it against the meta-schema): no meta-schema compile per run.
  compiled ??= new Ajv2020({ allErrors: true, coerceTypes: true, strict: true, validateSchema: false }).compile(
    CONFIG_SCHEMA,
  );
  return compiled;
}

function parentPath(error: ErrorObject): Path {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The schema this error came from, to list what is allowed where a key is not. */
function allowedKeys(error: ErrorObject): string[] {
  const at = error.schemaPath
    .replace(/^#\//, '')
    .replace(/\/additionalProperties$/, '')
    .split('/');
  let node: unknown = CONFIG_SCHEMA;
  for (const part of at) node = (node as Record<string, unknown> | undefined)?.[part];
  const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function schemaProblems(errors: readonly ErrorObject[], data: unknown, problems: Problems): void {
  for (const error of errors) {
    const path = parentPath(error);
    // A value whose variable is not set was reported as such: its empty stand-in is not a second problem.
    if (problems.reported.has(showPath(path))) continue;
    const value = valueAt(data, path);
    if (error.keyword === 'enum' && typeof value === 'string') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      problems.add(path, `"${value}" is not one of ${allowed.join(', ')}${suggestion(value, allowed)}`);
    } else if (error.keyword === 'required') {
      problems.add([...path, (error.params as { missingProperty: string }).missingProperty], 'is required');
    } else if (error.keyword === 'additionalProperties') {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = allowedKeys(error);
      problems.add(
        [...path, key],
        `is not an option here${suggestion(key, allowed) || (allowed.length > 0 ? ` (options: ${allowed.join(', ')})` : '')}`,
        true,
      );
    } else {
      const [line] = formatAjvErrors([{ ...error, instancePath: '' }]);
      problems.add(path, line!.replace(/^\/: /, ''));
    }
  }
}

/** Options of the file that are the run's options of the same name and unit. */
const SAME_AS_RUN = [
  'checks',
  'excludeChecks',
  'live',
  'seed',
  'maxCases',
  'random',
  'concurrency',
  'strict',
  'cleanup',
] as const;

const nameOf = (spec: string): string => basename(spec).split(/[-_.]/)[0] || basename(spec);

interface Parsed {
  config: RawConfig;
  locator: Locator;
  problems: Problems;
}

async function parse(file: string, shown: string, context: ConfigContext): Promise<Parsed> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? `config file not found: ${shown}` : `cannot read config file ${shown}: ${code ?? error}`,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const inPackage = basename(file) === 'package.json';
  const locator = new Locator(shown, doc, lines, inPackage ? ['conformance'] : []);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors
        .map(
          (e) =>
            `${locator.position(e.pos[0])}: invalid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        )
        .join('; '),
    );
  }
  const problems = new Problems(locator);
  let value: unknown;
  try {
    const whole: unknown = doc.toJS({ maxAliasCount: 1000 });
    const raw = inPackage ? (whole as Record<string, unknown> | null)?.conformance : whole;
    value = substitute(raw ?? {}, [], context.env, problems);
    const validate = validator();
    if (!validate(value)) schemaProblems(validate.errors ?? [], value, problems);
  } catch (error) {
    // An alias bomb (the parser's own guard) or nesting deep enough to exhaust the stack.
    const reason =
      error instanceof RangeError && /call stack/i.test(error.message)
        ? 'nested too deeply'
        : (error as Error).message.split('\n')[0];
    throw new ConfigError(`${shown}: cannot parse: ${reason}`);
  }
  // Problems are checked once the rest of the file is too (loadConfig): all of them are listed at once.
  return { config: (isObject(value) ? value : {}) as unknown as RawConfig, locator, problems };
}

function headers(given: Record<string, string> | undefined, path: Path, problems: Problems): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(isObject(given) ? given : {})) {
    if (!HEADER_NAME.test(name)) problems.add([...path, name], 'is not a header name', true);
    else if (RESERVED_HEADERS.has(name.toLowerCase())) problems.add([...path, name], reservedHeaderReason(name), true);
    // A value that is not text is the schema's problem: its name is checked all the same.
    else if (typeof value !== 'string') continue;
    else {
      const problem = headerValueProblem(value);
      if (problem) problems.add([...path, name], problem);
      else pairs.push([name, value.trim()]);
    }
  }
  return pairs;
}

/** Reads, checks and resolves a config file into the APIs to run, nothing sent. */
export async function loadConfig(file: string, context: ConfigContext): Promise<Config> {
  const absolute = resolve(context.cwd, file);
  const shown = shownFrom(context.cwd, absolute);
  const { config, locator, problems } = await parse(absolute, shown, context);
  const dir = dirname(absolute);
  // Relative to the process's directory, as the files are opened (and as a user starting the run there
  // would type them): the reports name the spec so. Absolute when that would climb out of it.
  const path = (p: string): string => {
    const full = isAbsolute(p) ? p : resolve(dir, p);
    const shorter = relative(process.cwd(), full);
    return shorter === '' || shorter.startsWith('..') ? full : shorter;
  };
  // The schema's problems are not thrown yet (all of them are listed with these): whatever it found of the
  // wrong type is left for it to report, and the rest is checked.
  const defaults: RawOptions = isObject(config.defaults) ? config.defaults : {};
  const defaultHeaders = headers(defaults.headers, ['defaults', 'headers'], problems);
  const apiRun = (api: RawApi, index: number): ApiRun => {
    const at = ['apis', index] as const;
    const option = <K extends keyof RawOptions>(key: K): { value: RawOptions[K]; from: Path } | undefined =>
      api[key] !== undefined
        ? { value: api[key], from: [...at, key] }
        : defaults[key] !== undefined
          ? { value: defaults[key], from: ['defaults', key] }
          : undefined;
    let rateLimit: RateLimit | 'none' | undefined;
    const rate = option('rateLimit');
    if (rate && typeof rate.value === 'string') {
      const problem = rateLimitProblem(rate.value);
      if (problem) problems.add(rate.from, problem);
      else rateLimit = parseRateLimit(rate.value);
    }
    const origin: Origin = (sub) => {
      const own = [...at, ...sub];
      const merged = ['parameters', 'queryCredentials', 'cookieCredentials'].includes(String(sub[0]));
      const from = locator.has(own) || !merged ? own : ['defaults', ...sub];
      return `${locator.at(from)}: ${showPath(from)}`;
    };
    const merged = new Map([...defaultHeaders, ...headers(api.headers, [...at, 'headers'], problems)]);
    const run: ApiRun['options'] = {
      spec: typeof api.spec === 'string' ? path(api.spec) : '',
      ...(api.baseUrl !== undefined ? { baseUrl: api.baseUrl } : {}),
      headers: [...merged],
      parameters: { ...defaults.parameters, ...api.parameters },
      queryCredentials: { ...defaults.queryCredentials, ...api.queryCredentials },
      cookieCredentials: { ...defaults.cookieCredentials, ...api.cookieCredentials },
      operationOverrides: api.operations ?? {},
      origin,
      ...(rateLimit !== undefined ? { rateLimit } : {}),
      ...(typeof api.overlay === 'string' ? { reportOverlay: path(api.overlay) } : {}),
    };
    for (const key of SAME_AS_RUN) {
      const given = option(key);
      if (given) Object.assign(run, { [key]: given.value });
    }
    const timeout = option('timeout');
    if (timeout) run.timeoutMs = timeout.value;
    const throttleWait = option('throttleWait');
    if (throttleWait) run.throttleWaitMs = throttleWait.value! * 1000;
    const name = typeof api.name === 'string' ? api.name : typeof api.spec === 'string' ? nameOf(api.spec) : '';
    return { name, options: run };
  };
  const apis: { index: number; api: ApiRun }[] = [];
  for (const [index, api] of ((Array.isArray(config.apis) ? config.apis : []) as unknown[]).entries()) {
    if (isObject(api)) apis.push({ index, api: apiRun(api as unknown as RawApi, index) });
  }
  const seen = new Map<string, number>();
  for (const { index, api } of apis) {
    if (api.name === '') continue;
    const first = seen.get(api.name);
    if (first !== undefined) {
      problems.add(
        ['apis', index, ...(config.apis[index]!.name !== undefined ? ['name'] : ['spec'])],
        `names the API "${api.name}", as apis[${first}] does; give each API its own name`,
      );
    } else seen.set(api.name, index);
  }
  problems.check();
  const reports = Object.fromEntries(
    Object.entries(config.reports ?? {}).map(([kind, file]) => [kind, path(file)]),
  ) as Config['reports'];
  return { file: shown, apis: apis.map(({ api }) => api), reports };
}

/** The run options a flag can give; each has the same name and unit as in RunOptions. */
type FlagOption =
  | 'spec'
  | 'baseUrl'
  | 'reportJson'
  | 'reportJunit'
  | 'reportHtml'
  | 'reportHar'
  | 'reportOverlay'
  | 'strict'
  | 'seed'
  | 'checks'
  | 'excludeChecks'
  | 'maxCases'
  | 'random'
  | 'concurrency'
  | 'timeoutMs'
  | 'rateLimit'
  | 'throttleWaitMs'
  | 'cleanup'
  | 'dryRun'
  | 'live';

/** What the command line says, only the flags actually given: each wins over the file. */
export type Flags = Partial<Pick<RunOptions, FlagOption>> & {
  headers: [string, string][];
  /** --query-credential and --cookie-credential: each wins over the file's value of the same name. */
  queryCredentials: Record<string, string>;
  cookieCredentials: Record<string, string>;
  /** --api: run only these APIs of the file. */
  apis: string[];
  operations: string[];
};

/** What runMany takes, from the file and the flags; `operations` is --operation. */
export type ConfiguredRun = Omit<RunManyOptions, 'dryRun' | 'ready'> & { dryRun: boolean };

/** The APIs of the file the flags select, with the flags applied on top of the file's values. */
export function configuredRun(config: Config, flags: Flags, cwd: string): ConfiguredRun {
  let apis = config.apis;
  const list = (): string => config.apis.map((a) => `${a.name} (${a.options.spec})`).join(', ');
  if (flags.apis.length > 0) {
    const unknown = flags.apis.filter((name) => !apis.some((a) => a.name === name));
    if (unknown.length > 0) {
      const names = config.apis.map((a) => a.name);
      throw new ConfigError(
        `--api ${unknown.join(', ')}: not in ${config.file}${suggestion(unknown[0]!, names)}; its APIs: ${list()}`,
      );
    }
    apis = apis.filter((a) => flags.apis.includes(a.name));
  }
  if (flags.spec !== undefined) {
    const wanted = resolve(cwd, flags.spec);
    apis = apis.filter((a) => resolve(a.options.spec) === wanted);
    if (apis.length === 0)
      throw new ConfigError(`--spec ${flags.spec} is not an API of ${config.file}; its APIs: ${list()}`);
  }
  for (const single of ['baseUrl', 'reportOverlay'] as const) {
    if (flags[single] !== undefined && apis.length > 1) {
      const flag = single === 'baseUrl' ? '--base-url' : '--report-overlay';
      throw new ConfigError(
        `${flag} is for one API and ${config.file} runs ${apis.length}; choose one with --api <name> (${apis.map((a) => a.name).join(', ')}) or --spec <file>`,
      );
    }
  }
  const given = <K extends keyof Flags>(key: K, to: keyof ApiRun['options'] = key as keyof ApiRun['options']) =>
    flags[key] !== undefined ? { [to]: flags[key] } : {};
  return {
    apis: apis.map((api) => {
      const headers = new Map(api.options.headers);
      // A flag's header replaces the file's of the same name, whatever its letter case.
      for (const [name, value] of flags.headers) {
        for (const existing of headers.keys())
          if (existing.toLowerCase() === name.toLowerCase()) headers.delete(existing);
        headers.set(name, value);
      }
      const fileOrigin = api.options.origin ?? flagOrigin;
      return {
        name: api.name,
        options: {
          ...api.options,
          headers: [...headers],
          queryCredentials: { ...api.options.queryCredentials, ...flags.queryCredentials },
          cookieCredentials: { ...api.options.cookieCredentials, ...flags.cookieCredentials },
          // A credential a flag gave is named by the flag in messages, the file's by its place.
          origin: (path) => {
            const flagged =
              path[0] === 'queryCredentials'
                ? flags.queryCredentials
                : path[0] === 'cookieCredentials'
                  ? flags.cookieCredentials
                  : {};
            return Object.hasOwn(flagged, String(path[1])) ? flagOrigin(path) : fileOrigin(path);
          },
          ...given('baseUrl'),
          ...given('reportOverlay'),
          ...given('strict'),
          ...given('seed'),
          ...given('checks'),
          ...given('excludeChecks'),
          ...given('maxCases'),
          ...given('random'),
          ...given('concurrency'),
          ...given('timeoutMs'),
          ...given('rateLimit'),
          ...given('throttleWaitMs'),
          ...given('cleanup'),
          ...given('live'),
        },
      };
    }),
    ...((flags.reportJson ?? config.reports.json) ? { reportJson: flags.reportJson ?? config.reports.json } : {}),
    ...((flags.reportJunit ?? config.reports.junit) ? { reportJunit: flags.reportJunit ?? config.reports.junit } : {}),
    ...((flags.reportHtml ?? config.reports.html) ? { reportHtml: flags.reportHtml ?? config.reports.html } : {}),
    ...((flags.reportHar ?? config.reports.har) ? { reportHar: flags.reportHar ?? config.reports.har } : {}),
    ...(flags.operations.length > 0 ? { operations: flags.operations } : {}),
    dryRun: flags.dryRun === true,
  };
}
