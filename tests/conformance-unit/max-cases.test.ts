/**
 * `--max-cases` bounds everything an operation is sent: its own cases, the scenario steps and
 * set-up requests that go to it, and the random bodies that fill what is left. A hand-written
 * petstore (not one of the vendor specs) shows it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Plan, planCases } from '../../conformance/cases/plan.js';
import { DEFAULTS, MAX_CASES_LIMIT } from '../../conformance/defaults.js';
import type { TestCase } from '../../conformance/types.js';
import { loadSpec, type Spec } from '../../lib/spec.js';
import { ValidatorCache } from '../../lib/validator.js';
import { startMock } from '../../mocks/server.js';
import { runConformance } from '../support/runner.js';

const pet = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'integer', readOnly: true },
    name: { type: 'string', minLength: 1, maxLength: 40 },
    tag: { type: 'string', maxLength: 20 },
  },
};
const error = {
  description: 'invalid',
  content: {
    'application/json': {
      schema: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
    },
  },
};
const petstore = {
  openapi: '3.1.0',
  info: { title: 'Petstore', version: '1' },
  servers: [{ url: 'http://127.0.0.1:9/v1' }],
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        parameters: [
          { name: 'status', in: 'query', required: true, schema: { enum: ['available', 'pending', 'sold'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': { description: 'pets', content: { 'application/json': { schema: { type: 'array', items: pet } } } },
          '400': error,
        },
      },
      post: {
        operationId: 'createPet',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 40 } } },
                  {
                    type: 'object',
                    required: ['name', 'tag'],
                    properties: { name: { type: 'string', minLength: 41 }, tag: { type: 'string' } },
                  },
                ],
              },
              examples: { rex: { value: { name: 'Rex' } } },
            },
          },
        },
        responses: {
          '201': {
            description: 'created',
            content: { 'application/json': { schema: pet } },
            links: { read: { operationId: 'getPet', parameters: { petId: '$response.body#/id' } } },
          },
          '400': error,
        },
      },
    },
    '/pets/{petId}': {
      parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: {
        operationId: 'getPet',
        responses: {
          '200': { description: 'pet', content: { 'application/json': { schema: pet } } },
          '400': error,
          '404': error,
        },
      },
      delete: { operationId: 'deletePet', responses: { '204': { description: 'deleted' }, '404': error } },
    },
  },
};

let dir: string;
let file: string;
let spec: Spec;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'max-cases-'));
  file = join(dir, 'petstore.json');
  writeFileSync(file, JSON.stringify(petstore));
  spec = await loadSpec(file);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const planOf = (maxCases: number, operations: string[] = []): Plan =>
  planCases(spec, new ValidatorCache(), { seed: 3, nonce: 'test', maxCases, operations, rateLimit: false });

function perOperation(plan: Plan): Map<string, TestCase[]> {
  const out = new Map<string, TestCase[]>();
  for (const testCase of [...plan.phases.flatMap((p) => p.cases), ...plan.scenarios.flatMap((s) => s.steps)]) {
    const id = testCase.operation.operationId;
    out.set(id, [...(out.get(id) ?? []), testCase]);
  }
  return out;
}

describe('--max-cases counts every request an operation is sent', () => {
  test('with 3, no operation is planned more than 3 requests, and each still gets a valid one', () => {
    const plan = planOf(3);
    const counts = perOperation(plan);
    expect([...counts.keys()].sort()).toEqual(['createPet', 'deletePet', 'getPet', 'listPets']);
    for (const [id, cases] of counts) {
      expect(cases.length, id).toBeLessThanOrEqual(3);
      expect(
        cases.some((c) => c.kind === 'positive'),
        id,
      ).toBe(true);
    }
    expect(plan.total).toBe([...counts.values()].reduce((n, cases) => n + cases.length, 0));
  });

  test('one case of each kind comes before a second of any kind', () => {
    const kinds = new Set((perOperation(planOf(2)).get('createPet') ?? []).map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['negative', 'positive']);
  });

  test('an operation whose deterministic cases exceed the bound is reported once, with what it needed', () => {
    const small = planOf(3);
    const large = planOf(MAX_CASES_LIMIT);
    const needed = perOperation(large);
    const over = small.overBudget.map((o) => o.operationId).sort();
    expect(over.length).toBeGreaterThan(0);
    expect(new Set(over).size).toBe(over.length);
    for (const entry of small.overBudget) {
      expect(entry.limit).toBe(3);
      expect(entry.kept).toBeLessThanOrEqual(3);
      expect(entry.needed).toBeGreaterThan(3);
      // Without a bound, the deterministic cases are all planned: exactly `needed` of them.
      const all = needed.get(entry.operationId) ?? [];
      expect(all.filter((c) => !c.name.includes('random')).length, entry.operationId).toBe(entry.needed);
    }
    expect(large.overBudget).toEqual([]);
  });

  test('random bodies fill what is left, up to the bound, and only once nothing else is cut', () => {
    const counts = perOperation(planOf(60));
    const create = counts.get('createPet') ?? [];
    const random = create.filter((c) => c.name.startsWith('positive: random #'));
    expect(random.length).toBeGreaterThan(0);
    expect(create.length).toBeLessThanOrEqual(60);
    expect(counts.get('getPet')?.some((c) => c.name.includes('random'))).toBe(false);
    expect(
      planOf(3)
        .phases.flatMap((p) => p.cases)
        .some((c) => c.name.includes('random')),
    ).toBe(false);
  });

  test('random: false (--no-random) plans the same cases without the random bodies', () => {
    const names = (plan: Plan): string[] => plan.phases.flatMap((p) => p.cases.map((c) => c.name));
    const all = names(planOf(60));
    const planned = names(
      planCases(spec, new ValidatorCache(), {
        seed: 3,
        nonce: 'test',
        maxCases: 60,
        random: false,
        operations: [],
        rateLimit: false,
      }),
    );
    expect(planned.some((name) => name.startsWith('positive: random #'))).toBe(false);
    expect(planned).toEqual(all.filter((name) => !name.startsWith('positive: random #')));
  });

  test('the set-up requests for a narrowed run count against the operation that makes them', () => {
    const plan = planOf(1, ['getPet']);
    for (const [id, cases] of perOperation(plan)) expect(cases.length, id).toBeLessThanOrEqual(1);
    expect(plan.phases.find((p) => p.operation.operationId === 'createPet')?.cases).toHaveLength(1);
  });

  test('the default is 100, as Schemathesis users expect of --max-examples', () => {
    expect(DEFAULTS.maxCases).toBe(100);
  });
});

describe('the command line', () => {
  test('a dry run prints the warning once per operation cut short, before the count', async () => {
    const chosen = planOf(3).overBudget.slice(0, 2);
    const only = chosen.flatMap((o) => ['--operation', o.operationId]);
    const run = await runConformance(['--spec', file, '--dry-run', '--seed', '3', '--max-cases', '3', ...only], {
      json: false,
    });
    expect(run.code, run.describe()).toBe(0);
    const warnings = run.stdout.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings.map((w) => w.split(' ')[1])).toEqual(chosen.map((o) => o.operationId));
    expect(warnings[0]).toMatch(
      /^warning: \w+ has \d+ example, boundary, violation and scenario requests but --max-cases is 3: 3 sent, no random case; --max-cases \d+ sends them all$/,
    );
  });

  test('more than three operations cut short: one warning for them all, naming the --max-cases that sends every case', async () => {
    const overBudget = planOf(3).overBudget;
    expect(overBudget.length).toBeGreaterThan(3);
    const run = await runConformance(['--spec', file, '--dry-run', '--seed', '3', '--max-cases', '3'], { json: false });
    expect(run.code, run.describe()).toBe(0);
    const warnings = run.stdout.split('\n').filter((line) => line.startsWith('warning: '));
    const most = Math.max(...overBudget.map((o) => o.needed));
    const first = overBudget[0]!;
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: ${overBudget.length} operations have more example, boundary, violation and scenario requests than --max-cases 3 \\(${first.operationId} ${first.needed}, .* and ${overBudget.length - 3} more; every one in the JSON report's overBudget\\): 3 sent each, no random case; --max-cases ${most} sends them all$`,
        ),
      ),
    ]);
  });

  test('a dry run of a document without servers prints its paths on localhost', async () => {
    const { servers: _, ...withoutServers } = petstore;
    const bare = join(dir, 'no-servers.json');
    writeFileSync(bare, JSON.stringify(withoutServers));
    const run = await runConformance(['--spec', bare, '--dry-run', '--seed', '3', '--max-cases', '3'], { json: false });
    expect(run.code, run.describe()).toBe(0);
    expect(run.stdout).toMatch(/^ {4}GET http:\/\/localhost\/pets/m);
  });

  test('0, a value over the limit and a non-number are refused before anything is planned', async () => {
    for (const value of ['0', String(MAX_CASES_LIMIT + 1), '-1', '2.5']) {
      const run = await runConformance(['--spec', file, '--dry-run', '--max-cases', value], { json: false });
      expect(run.code, value).toBe(2);
      expect(run.stderr).toBe(
        `conformance: --max-cases must be an integer from 1 to ${MAX_CASES_LIMIT}, got "${value}"\n`,
      );
      expect(run.stdout).toBe('');
    }
  });

  test('a real run sends at most that many per operation and reports the warning in the summary and the JSON', async () => {
    const mock = await startMock({ specFiles: [file], port: 0 });
    try {
      const run = await runConformance([
        '--spec',
        file,
        '--base-url',
        mock.apis[0]!.baseUrl,
        '--seed',
        '3',
        '--max-cases',
        '3',
      ]);
      expect(run.code, run.describe()).toBe(0);
      const report = JSON.parse(run.jsonText!) as {
        operations: Record<string, { cases: number }>;
        overBudget: { operationId: string; needed: number; kept: number; limit: number }[];
      };
      for (const [id, { cases }] of Object.entries(report.operations)) expect(cases, id).toBeLessThanOrEqual(3);
      expect(report.overBudget).toEqual(planOf(3).overBudget);
      expect(run.stdout).toContain(`warning: ${report.overBudget.length} operations have more example`);
    } finally {
      await mock.close();
    }
  });
});
