import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { bodyMedia } from '../../conformance/cases/context.js';
import { type Plan, planCases } from '../../conformance/cases/plan.js';
import { buildRequest } from '../../conformance/cases/wire.js';
import { type LoadedSpec, loadForRun } from '../../conformance/specs.js';
import type { TestCase } from '../../conformance/types.js';

const SPECS = ['bigchange-contact-groups', '8x8-contacts', 'eloqua-contact-segments', 'easify-contact-groups'];

function allCases(plan: Plan): TestCase[] {
  return [
    ...plan.phases.flatMap((p) => p.cases),
    ...plan.scenarios.flatMap((s) => s.steps),
    ...(plan.burst?.steps ?? []),
  ];
}

/** The runner's own load: a frozen model (the planner writes nothing into it) and its compiled validators. */
const load = (name: string): Promise<LoadedSpec> => loadForRun(`specs/${name}.yaml`);

const planOf = ({ spec, validators }: LoadedSpec, seed: number): Plan =>
  planCases(spec, validators, { seed, nonce: 'test', maxCases: 200, operations: [], rateLimit: true });

describe.each(SPECS)('%s plan', (name) => {
  test('positive bodies are valid, negative bodies are invalid, per the same AJV schema', async () => {
    const loaded = await load(name);
    const { validators } = loaded;
    const cases = allCases(planOf(loaded, 11));
    let positives = 0;
    let negatives = 0;
    // Collected, then asserted once: every mislabelled case is named, at the cost of one assertion.
    const mislabelled: string[] = [];
    for (const testCase of cases) {
      const media = bodyMedia(testCase.operation);
      const body = testCase.request.body;
      if (!media || body?.kind !== 'value') continue;
      const valid = validators.get(media.schema)(body.value);
      // Parameter and Content-Type cases send a valid body on purpose; body violations are labelled by pointer.
      if (testCase.kind === 'negative' && !testCase.name.startsWith('negative: /')) continue;
      if (testCase.kind === 'negative') {
        negatives++;
        if (valid) mislabelled.push(`${testCase.name}: valid`);
      } else {
        positives++;
        if (!valid) mislabelled.push(`${testCase.name}: invalid ${JSON.stringify(body.value)}`);
      }
    }
    expect(mislabelled).toEqual([]);
    expect(positives).toBeGreaterThan(5);
    expect(negatives).toBeGreaterThan(3);
  });

  test('the same seed plans the same cases in the same order; another seed differs', async () => {
    const spec = await load(name);
    const render = (plan: Plan): string => JSON.stringify(allCases(plan).map((c) => [c.seq, c.name, c.request]));
    expect(render(planOf(spec, 5))).toBe(render(planOf(spec, 5)));
    expect(render(planOf(spec, 5))).not.toBe(render(planOf(spec, 6)));
  });

  test('no readOnly property is ever sent', async () => {
    const sent: string[] = [];
    for (const testCase of allCases(planOf(await load(name), 3))) {
      const media = bodyMedia(testCase.operation);
      const body = testCase.request.body;
      if (!media || body?.kind !== 'value' || !body.value || typeof body.value !== 'object') continue;
      const readOnly = Object.entries(media.schema.properties ?? {})
        .filter(([, s]) => s.readOnly)
        .map(([n]) => n);
      for (const property of readOnly)
        if (Object.hasOwn(body.value, property)) sent.push(`${testCase.name}: ${property}`);
    }
    expect(sent).toEqual([]);
  });
});

test('unique fields and merge keys never repeat across the cases that are meant to be unique', async () => {
  for (const name of SPECS) {
    const plan = planOf(await load(name), 9);
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const testCase of plan.phases.flatMap((p) => p.cases).filter((c) => c.kind === 'positive')) {
      const resource = testCase.operation.resource;
      const body = testCase.request.body;
      if (!resource || body?.kind !== 'value') continue;
      const value = body.value as Record<string, unknown>;
      const keys: [string, unknown][] = (resource.unique?.fields ?? []).map((f) => [f, value[f]]);
      const on = resource.merge?.on;
      if (on && value[on] && typeof value[on] === 'object')
        for (const [k, v] of Object.entries(value[on] as object)) keys.push([`${on}.${k}`, v]);
      for (const [field, v] of keys) {
        if (v === undefined || v === '') continue;
        const key = `${testCase.operation.operationId} ${field} ${JSON.stringify(v)}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) repeated.push(`${key} in "${testCase.name}", as in "${earlier}"`);
        seen.set(key, testCase.name);
      }
    }
    expect(repeated, name).toEqual([]);
  }
});

test('stateful scenarios come from links and x-resource', async () => {
  const names = async (file: string): Promise<string[]> => planOf(await load(file), 1).scenarios.map((s) => s.name);
  expect(await names('bigchange-contact-groups')).toEqual([
    'create with createContactGroup, then listContactGroups the created id',
    'create with createContactGroup, then updateContactGroup the created id',
    'updateContactGroup an id never created',
    'the life of a contactGroups record',
  ]);
  expect((await names('8x8-contacts')).join('\n')).toMatch(/merges into the one record[\s\S]*matching two records/);
  expect((await names('eloqua-contact-segments')).join('\n')).toMatch(/the same name twice/);
  const easify = planOf(await load('easify-contact-groups'), 1);
  expect(easify.burst?.steps).toHaveLength(16);
  expect(easify.burst?.steps.at(-1)?.expectThrottle).toBe(true);
});

test("a body field that names another collection's record is fed by that collection's create, planned first", async () => {
  const plan = planOf(await load('easify-contact-groups'), 5);
  const order = plan.phases.map((p) => p.operation.operationId);
  expect(order.indexOf('createContactGroup')).toBeLessThan(order.indexOf('createContact'));
  // Contacts name their group: they are deleted first, in the run and in its cleanup.
  expect(order.indexOf('deleteContact')).toBeLessThan(order.indexOf('deleteContactGroup'));
  expect(plan.cleanup.map((c) => c.collection)).toEqual(['contacts', 'contactGroups']);
  const creates = allCases(plan).filter((c) => c.operation.operationId === 'createContact');
  const positives = creates.filter((c) => c.kind === 'positive');
  // No boundary of group_id is planned: the run writes a made id there, so it would repeat another case.
  expect(positives.filter((c) => c.name.includes('/group_id'))).toEqual([]);
  expect(positives.length).toBeGreaterThan(5);
  for (const testCase of positives)
    expect(testCase.request.bodyRefs, testCase.name).toEqual([
      {
        pointer: '/group_id',
        linked: {
          sourceOperationId: 'createContactGroup',
          expression: '$response.body#/data/id',
          reference: true,
        },
      },
    ]);
  // A negative case about group_id keeps its own wrong value: no created id is written over it; one
  // about another field keeps a real group, so that it breaks only its own rule.
  const aboutGroup = creates.filter((c) => c.kind === 'negative' && c.name.includes('/group_id'));
  expect(aboutGroup.length).toBeGreaterThan(0);
  for (const testCase of aboutGroup) expect(testCase.request.bodyRefs, testCase.name).toBeUndefined();
  const aboutName = creates.filter((c) => c.kind === 'negative' && c.name.includes('first_name'));
  expect(aboutName.length).toBeGreaterThan(0);
  for (const testCase of aboutName) expect(testCase.request.bodyRefs, testCase.name).toHaveLength(1);
});

test("a list of references (8x8's contact groups) gets a different made record for each item", async () => {
  const plan = planOf(await load('8x8-contacts'), 5);
  const order = plan.phases.map((p) => p.operation.operationId);
  expect(order.indexOf('createGroup')).toBeLessThan(order.indexOf('createContact'));
  const creates = allCases(plan).filter((c) => c.operation.operationId === 'createContact');
  const withTwo = creates.find(
    (c) =>
      c.kind === 'positive' &&
      c.request.body?.kind === 'value' &&
      ((c.request.body.value as { groups?: unknown[] }).groups?.length ?? 0) >= 2,
  );
  expect(withTwo).toBeDefined();
  expect(withTwo!.request.bodyRefs).toEqual([
    {
      pointer: '/groups',
      each: 'id',
      linked: { sourceOperationId: 'createGroup', expression: '$response.body#/id', reference: true },
    },
  ]);
  // The pool hands ids round robin: a repeat is skipped, so the items name different groups ...
  const groupsSent = (handed: unknown[]) => {
    const built = buildRequest(withTwo!, 'http://127.0.0.1:9', [], () => handed.shift());
    if ('notSent' in built) throw new Error(built.notSent);
    return (JSON.parse(String(built.body)) as { groups: { id: unknown }[] }).groups.map((g) => g.id);
  };
  const items = (withTwo!.request.body as { value: { groups: unknown[] } }).value.groups.length;
  expect(groupsSent([7, 7, 9, 11, 12, 13, 14, 15])).toEqual([7, 9, 11, 12, 13, 14, 15].slice(0, items));
  // ... and with fewer made groups than items, the items without one are left out, never repeated.
  expect(groupsSent([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7])).toEqual([7]);
  // Without any made group the case keeps its own.
  expect(groupsSent([])).toEqual(
    (withTwo!.request.body as { value: { groups: { id: unknown }[] } }).value.groups.map((g) => g.id),
  );
  // A violation inside an item keeps its items as they are: no made id is written over the broken one.
  const broken = creates.filter((c) => c.kind === 'negative' && /\/groups\/\d+/.test(c.name));
  expect(broken.length).toBeGreaterThan(0);
  for (const testCase of broken) expect(testCase.request.bodyRefs, testCase.name).toBeUndefined();
});

test('a delete gets no more valid cases than the records its create is planned to make', async () => {
  for (const [name, create, remove] of [
    ['easify-contact-groups', 'createContact', 'deleteContact'],
    ['8x8-contacts', 'createContact', 'deleteContact'],
    ['eloqua-contact-segments', 'createContactSegment', 'deleteContactSegment'],
  ] as const) {
    const plan = planCases((await load(name)).spec, (await load(name)).validators, {
      seed: 3,
      nonce: 'test',
      maxCases: 100,
      operations: [],
      rateLimit: false,
    });
    const positives = (operationId: string) =>
      plan.phases.find((p) => p.operation.operationId === operationId)!.cases.filter((c) => c.kind === 'positive');
    const made = positives(create).length;
    const removing = positives(remove).filter(
      (c) => c.request.bodyId || Object.values(c.request.pathParams).some((v) => 'sourceOperationId' in v),
    );
    expect(removing.length, name).toBeGreaterThan(0);
    expect(removing.length, name).toBeLessThanOrEqual(made);
  }
});

describe('a refusal only we assume', () => {
  test("Easify's lists document no refusal but our 422: their invalid requests carry it as an assumption", async () => {
    const cases = allCases(planOf(await load('easify-contact-groups'), 11));
    const negatives = (operationId: string) =>
      cases.filter((c) => c.operation.operationId === operationId && c.kind === 'negative');
    const groups = negatives('listContactGroups');
    expect(groups.length).toBeGreaterThan(0);
    for (const testCase of groups) {
      expect(testCase.assumptions, testCase.name).toEqual([
        { pointer: '/paths/~1contact-groups/get/responses/422', keyword: 'response', reason: expect.any(String) },
      ]);
    }
    // A request invalid only under an inferred rule tests that rule, not the refusal.
    const inferredOnly = negatives('createContactGroup').find((c) => c.name === 'negative: /name above maxLength 255');
    expect(inferredOnly?.assumptions?.map((a) => a.keyword)).toEqual(['maxLength']);
    // The vendor documents the create's refusal (its 422): nothing of it is assumed.
    const documented = negatives('createContactGroup').filter((c) => c.name === 'negative: malformed JSON');
    expect(documented.map((c) => c.assumptions)).toEqual([undefined]);
  });
});

describe('a run names only records it made', () => {
  test("8x8's member lists: every id is a contact the run creates, never the example's", async () => {
    const cases = allCases(planOf(await load('8x8-contacts'), 11)).filter(
      (c) => c.operation.operationId === 'addContactsToGroup' || c.operation.operationId === 'removeContactsFromGroup',
    );
    expect(cases.length).toBeGreaterThan(0);
    const exampleIds = /41702118|41702119/;
    for (const testCase of cases) {
      const { body, bodyRefs } = testCase.request;
      const text = body?.kind === 'raw' ? body.text : JSON.stringify(body?.kind === 'value' ? body.value : null);
      const contacts = body?.kind === 'value' && body.value && typeof body.value === 'object' ? body.value : {};
      // Raw bodies (malformed JSON, a wrong Content-Type) carry no ids at all.
      if (body?.kind === 'raw') expect(text, testCase.name).not.toMatch(exampleIds);
      else if (Array.isArray((contacts as { contacts?: unknown }).contacts) && testCase.kind === 'positive') {
        expect(bodyRefs, testCase.name).toContainEqual(
          expect.objectContaining({
            pointer: '/contacts',
            items: true,
            linked: expect.objectContaining({ sourceOperationId: 'createContact' }),
          }),
        );
      }
    }
  });

  test('a list of member ids with no record made to name is not sent', async () => {
    const loaded = await load('8x8-contacts');
    const testCase = allCases(planOf(loaded, 11)).find(
      (c) => c.operation.operationId === 'addContactsToGroup' && c.kind === 'positive' && c.request.bodyRefs?.length,
    )!;
    const built = buildRequest(testCase, 'http://127.0.0.1:1', [], () => undefined);
    expect(built).toEqual({ notSent: 'no record created by createGroup to take groupId from' });
    const groupOnly = buildRequest(testCase, 'http://127.0.0.1:1', [], (linked) =>
      linked.sourceOperationId === 'createGroup' ? 7 : undefined,
    );
    expect(groupOnly).toEqual({ notSent: 'no record created by createContact to put at /contacts' });
    const made = buildRequest(testCase, 'http://127.0.0.1:1', [], (linked) =>
      linked.sourceOperationId === 'createGroup' ? 7 : 900,
    );
    expect('notSent' in made ? made : JSON.parse(String(made.body))).toMatchObject({ contacts: [900] });
  });
});

describe('an id never created, on a target holding records of others', () => {
  const unknownIdScenarios = (plan: Plan) =>
    plan.scenarios.filter((s) => s.steps.some((step) => step.stateful?.rule === 'unknown-id'));
  const changes = (testCase: TestCase) => !['get', 'head'].includes(testCase.operation.method.toLowerCase());

  test.each(SPECS)('%s: a change to a made-up id follows a read of it, and goes out nowhere else', async (name) => {
    const loaded = await load(name);
    const live = planCases(loaded.spec, loaded.validators, {
      seed: 11,
      nonce: 'test',
      maxCases: 1000,
      operations: [],
      rateLimit: false,
      othersRecords: true,
    });
    let guarded = 0;
    for (const scenario of unknownIdScenarios(live)) {
      const last = scenario.steps.at(-1)!;
      if (!changes(last)) continue;
      // With no read to ask first the change is planned only to be listed as not sent, with why.
      if (scenario.steps.length === 1) {
        expect(last.request.othersRecord, scenario.name).toMatch(
          /no read of the same id documents its not found to ask first: not sent to a target holding others' records$/,
        );
        continue;
      }
      expect(last.request.othersRecord, scenario.name).toBeUndefined();
      guarded += 1;
      // The read goes first with the same id; the change is sent only if it answered not found.
      expect(scenario.steps, scenario.name).toHaveLength(2);
      const [read] = scenario.steps;
      expect(read!.operation.method.toLowerCase(), scenario.name).toBe('get');
      expect(read!.request.pathParams, scenario.name).toEqual(last.request.pathParams);
    }
    // 8x8 and Eloqua read their records by id; BigChange and Easify have no such read (none is sent,
    // each is listed as held).
    expect(guarded > 0).toBe(name === '8x8-contacts' || name === 'eloqua-contact-segments');
  });

  test("BigChange's update has no read to ask first: its made-up id is patched on loopback only, listed as held live", async () => {
    const loaded = await load('bigchange-contact-groups');
    const plan = (othersRecords: boolean) =>
      planCases(loaded.spec, loaded.validators, {
        seed: 11,
        nonce: 'test',
        maxCases: 1000,
        operations: [],
        rateLimit: false,
        othersRecords,
      });
    const patches = (p: Plan, held: boolean) =>
      unknownIdScenarios(p).filter((s) =>
        s.steps.some((step) => changes(step) && (step.request.othersRecord !== undefined) === held),
      );
    expect(patches(plan(false), false).length).toBeGreaterThan(0);
    expect(patches(plan(false), true)).toEqual([]);
    expect(patches(plan(true), false)).toEqual([]);
    expect(patches(plan(true), true).length).toBe(patches(plan(false), false).length);
  });
});

test('member ids of a collection no operation creates: no case names them, none goes out with the example ids', async () => {
  const document = parse(await readFile('specs/8x8-contacts.yaml', 'utf8')) as Record<string, unknown>;
  const text = JSON.stringify(document).replaceAll(
    '"collection":"contacts","ids":"/contacts"',
    '"collection":"strangers","ids":"/contacts"',
  );
  expect(text).not.toBe(JSON.stringify(document));
  const dir = await mkdtemp(join(tmpdir(), 'unmade-members-'));
  try {
    await writeFile(join(dir, 'spec.json'), text);
    const cases = allCases(planOf(await loadForRun(join(dir, 'spec.json')), 11)).filter(
      (c) => c.operation.operationId === 'addContactsToGroup',
    );
    expect(cases.length).toBeGreaterThan(0);
    for (const testCase of cases) {
      const built = buildRequest(testCase, 'http://127.0.0.1:1', [], () => 7);
      const sent = 'notSent' in built ? '' : String(built.body ?? '');
      expect(sent, testCase.name).not.toMatch(/41702118|41702119/);
    }
    const positive = cases.find((c) => c.kind === 'positive')!;
    expect(buildRequest(positive, 'http://127.0.0.1:1', [], () => 7)).toEqual({
      notSent: 'no operation of the spec creates the strangers records to put at /contacts',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
