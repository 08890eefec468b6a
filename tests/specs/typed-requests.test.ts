// The values built against the generated types (typed-requests.ts) are also valid against the specs.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAjvErrors } from '../../lib/ajv-errors.js';
import type { Spec } from '../../lib/spec.js';
import { ValidatorCache } from '../../lib/validator.js';
import { loadAll, operation, type SpecKey } from '../support-specs/specs.js';
import * as typed from './typed-requests.js';

const validators = new ValidatorCache();
let specs: Record<SpecKey, Spec>;
beforeAll(async () => {
  specs = await loadAll();
});

function requestErrors(
  key: SpecKey,
  request: { operationId: string; body: unknown; params: Record<string, unknown> },
): string[] {
  const op = operation(specs[key], request.operationId);
  const schema = op.requestBody?.content[0]?.schema ?? {};
  const validate = validators.get(schema);
  const errors = validate(request.body) ? [] : formatAjvErrors(validate.errors);
  for (const param of op.parameters) {
    const group = request.params[param.in] as Record<string, unknown> | undefined;
    const value = group?.[param.name];
    if (value === undefined) {
      if (param.required) errors.push(`${param.in} ${param.name}: is required`);
      continue;
    }
    const check = validators.get(param.schema);
    if (!check(value)) errors.push(...formatAjvErrors(check.errors, `${param.in} ${param.name}`));
  }
  return errors;
}

function responseErrors(key: SpecKey, operationId: string, status: string, body: unknown): string[] {
  const schema = operation(specs[key], operationId).responses.find((r) => r.status === status)?.content[0]?.schema;
  if (!schema) return [`${operationId} documents no body for ${status}`];
  const validate = validators.get(schema);
  return validate(body) ? [] : formatAjvErrors(validate.errors);
}

describe('typed requests are valid against the specs', () => {
  it.each([
    ['bigchange', typed.bigChangeCreate],
    ['bigchange', typed.bigChangeUpdate],
    ['8x8', typed.eightByEightCreate],
    ['eloqua', typed.eloquaCreate],
    ['easify', typed.easifyCreate],
    ['bigchange', typed.bigChangeList],
    ['8x8', typed.eightByEightPatch],
    ['8x8', typed.eightByEightAddMembers],
    ['eloqua', typed.eloquaReplace],
    ['easify', typed.easifyGroupUpdate],
    ['easify', typed.easifyContactCreate],
    ['easify', typed.easifyContactDelete],
  ] as const)('%s %o', (key, request) => {
    expect(requestErrors(key, request as never)).toEqual([]);
  });

  it.each([
    ['bigchange', 'createContactGroup', '201', typed.bigChangeCreated],
    ['bigchange', 'createContactGroup', '422', typed.bigChangeValidation],
    ['8x8', 'createContact', '409', typed.eightByEightConflict],
    ['8x8', 'createContact', '409', typed.eightByEightConflictWithoutMessage],
    ['eloqua', 'createContactSegment', '400', typed.eloquaValidation],
    ['easify', 'createContactGroup', '200', typed.easifyCreated],
    ['bigchange', 'listContactGroups', '200', typed.bigChangePage],
    ['8x8', 'searchGroups', '200', typed.eightByEightGroupPage],
    ['8x8', 'getGroup', '404', typed.eightByEightGroupNotFound],
    ['eloqua', 'listContactSegments', '200', typed.eloquaPage],
    ['easify', 'deleteContactGroup', '400', typed.easifyDefaultGroup],
  ] as const)('%s %s %s response', (key, operationId, status, body) => {
    expect(responseErrors(key, operationId, status, body)).toEqual([]);
  });

  it('the values the types reject are rejected by the specs too', () => {
    expect(
      requestErrors('bigchange', {
        operationId: 'createContactGroup',
        body: typed.bigChangeNoName,
        params: { header: { 'Customer-Id': 1 } },
      }),
    ).toContain('/name: is required');
    expect(
      requestErrors('bigchange', {
        operationId: 'createContactGroup',
        body: { name: 'x' },
        params: { header: typed.bigChangeStringCustomer },
      }),
    ).toContain('header Customer-Id: must be integer');
    expect(requestErrors('8x8', { ...typed.eightByEightCreate, body: typed.eightByEightNoAddresses })).toContain(
      '/addresses: is required',
    );
    expect(requestErrors('eloqua', { ...typed.eloquaCreate, body: typed.eloquaYesIncluded })).toContain(
      '/elements/0/isIncluded: must be one of ["true","false"]',
    );
    expect(responseErrors('eloqua', 'createContactSegment', '201', typed.eloquaNumericCount)).toContain(
      '/count: must be string',
    );
    expect(responseErrors('easify', 'createContactGroup', '200', typed.easifyFalseStatus)).toContain(
      '/status: must be true',
    );
  });

  it('the lifecycle values the types reject are rejected by the specs too', () => {
    const patch = (body: unknown) => requestErrors('8x8', { ...typed.eightByEightPatch, body });
    expect(patch(typed.eightByEightRenameOp).join('; ')).toMatch(/\/0\/op: must be one of/);
    expect(patch(typed.eightByEightMergePatch)).toContain('/: must be array');
    expect(requestErrors('8x8', { ...typed.eightByEightAddMembers, body: typed.eightByEightStringMembers })).toContain(
      '/contacts/0: must be integer',
    );
    expect(requestErrors('eloqua', { ...typed.eloquaReplace, body: typed.eloquaReplaceWithCount })).toContain(
      '/count: must be string',
    );
    expect(
      requestErrors('bigchange', {
        ...typed.bigChangeList,
        params: { header: { 'Customer-Id': 1 }, query: typed.bigChangeAscQuery },
      }).join('; '),
    ).toMatch(/query direction.*must be one of/);
    expect(
      requestErrors('easify', { ...typed.easifyGroupUpdate, params: { query: typed.easifyUpdateWithoutGroup } }),
    ).toContain('query group_id: is required');
    expect(requestErrors('easify', { ...typed.easifyContactCreate, body: typed.easifyContactWithoutGroup })).toContain(
      '/group_id: is required',
    );
    expect(requestErrors('easify', { ...typed.easifyContactDelete, body: typed.easifyDeleteWithoutId })).toContain(
      '/contact_id: is required',
    );
  });
});
