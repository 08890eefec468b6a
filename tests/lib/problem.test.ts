/** lib/problem.ts: the one RFC 9457 problem details answer, for what no spec documents. */
import { describe, expect, it } from 'vitest';
import { PROBLEM_JSON, problem } from '../../lib/problem.js';

describe('problem', () => {
  it('status, application/problem+json and the four members', () => {
    expect(problem(404, 'Not Found', 'No API is mocked under /nope')).toEqual({
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No API is mocked under /nope' },
    });
    expect(PROBLEM_JSON).toBe('application/problem+json');
  });

  it('extra headers go beside the content type; one named content-type wins', () => {
    const answer = problem(405, 'Method Not Allowed', 'PUT is not documented', {
      allow: 'get, post',
      'content-type': 'text/plain',
    });
    expect(answer.headers).toEqual({ 'content-type': 'text/plain', allow: 'get, post' });
  });

  it('the body is JSON that says the same status as the answer', () => {
    const answer = problem(500, 'Mock error', 'boom');
    expect(JSON.parse(JSON.stringify(answer.body))).toEqual({
      type: 'about:blank',
      title: 'Mock error',
      status: 500,
      detail: 'boom',
    });
    expect(answer.body.status).toBe(answer.status);
  });
});
