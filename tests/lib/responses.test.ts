/** lib/responses.ts: the documented response for a status (exact, then its range, then `default`), under a rule set. */
import { describe, expect, it } from 'vitest';
import {
  documentedResponse,
  documentedStatus,
  documentedStatuses,
  isSuccess,
  isSuccessStatus,
  underRules,
} from '../../lib/responses.js';
import { buildSpec, type Operation } from '../../lib/spec.js';

const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});

function operation(responses: Record<string, unknown>): Operation {
  const spec = buildSpec(
    {
      openapi: '3.1.0',
      info: { title: 'Responses', version: '1' },
      paths: { '/things': { get: { operationId: 'listThings', responses } } },
    },
    'responses.yaml',
  );
  return spec.operations[0]!;
}

describe('documentedStatus', () => {
  const documented = ['200', '404', '4XX', 'default'];

  it('takes the exact status first', () => {
    expect(documentedStatus(404, documented)).toBe('404');
    expect(documentedStatus('200', documented)).toBe('200');
  });

  it('then the range of its class', () => {
    expect(documentedStatus(422, documented)).toBe('4XX');
    expect(documentedStatus(400, ['4xx'])).toBe('4xx');
  });

  it('then default, and nothing when none of them is documented', () => {
    expect(documentedStatus(500, documented)).toBe('default');
    expect(documentedStatus(201, documented)).toBe('default');
    expect(documentedStatus(500, ['200', '4XX'])).toBeUndefined();
    expect(documentedStatus(200, [])).toBeUndefined();
  });

  it('a range is only the class of the status, never another class', () => {
    expect(documentedStatus(503, ['4XX', '2XX'])).toBeUndefined();
  });
});

describe('documentedResponse', () => {
  const op = operation({ '200': json('ok'), '4xx': json('client error'), default: json('anything else') });

  it('finds the exact response, the range (written in any case) and default', () => {
    expect(documentedResponse(op, 200)?.description).toBe('ok');
    expect(documentedResponse(op, 404)?.description).toBe('client error');
    expect(documentedResponse(op, '429')?.description).toBe('client error');
    expect(documentedResponse(op, 500)?.description).toBe('anything else');
    expect(documentedResponse(op, 201)?.description).toBe('anything else');
  });

  it('is undefined when no response covers the status', () => {
    const bare = operation({ '200': json('ok') });
    expect(documentedResponse(bare, 500)).toBeUndefined();
    // Asked twice: the cached "none" stays none.
    expect(documentedResponse(bare, 500)).toBeUndefined();
    expect(documentedResponse(bare, 200)?.description).toBe('ok');
  });

  it('answers with the same response object each time', () => {
    expect(documentedResponse(op, 404)).toBe(documentedResponse(op, 404));
    expect(documentedResponse(op, 404)).toBe(op.responses.find((r) => r.status === '4XX'));
  });
});

describe('underRules', () => {
  const op = operation({
    '200': json('ok'),
    '404': { ...json('not found'), 'x-inferred': { content: 'the vendor shows no body' } },
    '409': { ...json('conflict'), 'x-inferred': { response: 'the vendor names no status' } },
  });
  const [ok, notFound, conflict] = op.responses as [
    Operation['responses'][0],
    Operation['responses'][0],
    Operation['responses'][0],
  ];

  it('all rules: every response as documented', () => {
    expect(underRules(notFound, 'all')).toBe(notFound);
    expect(underRules(notFound, 'all').content).toHaveLength(1);
  });

  it('documented rules: a body only we infer is not there, the rest of the response is', () => {
    const view = underRules(notFound, 'documented');
    expect(view.content).toEqual([]);
    expect(view.status).toBe('404');
    expect(view.description).toBe('not found');
    expect(notFound.content).toHaveLength(1);
    expect(underRules(notFound, 'documented')).toBe(view);
  });

  it('documented rules: a response without an inferred body is left as it is', () => {
    expect(underRules(ok, 'documented')).toBe(ok);
    expect(underRules(conflict, 'documented')).toBe(conflict);
  });
});

describe('status classes', () => {
  it('isSuccess: 2xx answers only', () => {
    expect([199, 200, 204, 299, 300, 404].map(isSuccess)).toEqual([false, true, true, true, false, false]);
  });

  it('isSuccessStatus: documented 2xx statuses and the 2XX range', () => {
    expect(['200', '201', '2XX', '2xx', '3XX', '20', '2000', 'default'].map(isSuccessStatus)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('documentedStatuses: a class in the order the parsed document holds them, ranges included', () => {
    const op = operation({ '201': json('a'), '404': json('b'), '400': json('c'), '4XX': json('d'), '500': json('e') });
    expect(documentedStatuses(op, '4')).toEqual(['400', '404', '4XX']);
    expect(documentedStatuses(op, '2')).toEqual(['201']);
    expect(documentedStatuses(op, '5')).toEqual(['500']);
  });
});
