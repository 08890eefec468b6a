/**
 * The spec check every mock answer goes through must itself be able to fail: here it is shown
 * answers that break each of its rules.
 */
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../lib/spec.js';
import { DEFAULT_SPECS_DIR } from '../../mocks/server.js';
import { responseProblems } from './support/conformance.js';

const easify = await loadSpec(`${DEFAULT_SPECS_DIR}/easify-contact-groups.yaml`);
const create = easify.operations[0]!;
const json = { 'content-type': 'application/json' };
const limited = JSON.stringify({ status: false, message: 'Too many requests. Try again in 3 seconds', errors: [] });

describe('responseProblems', () => {
  it('accepts a documented answer', () => {
    expect(responseProblems(create, { status: 429, headers: { ...json, 'retry-after': '3' }, text: limited })).toEqual(
      [],
    );
  });

  it('flags an undocumented status, content type, schema violation and missing required header', () => {
    expect(responseProblems(create, { status: 500, headers: json, text: '{}' })[0]).toMatch(
      /status 500 is not documented/,
    );
    expect(
      responseProblems(create, {
        status: 429,
        headers: { 'content-type': 'text/plain', 'retry-after': '3' },
        text: limited,
      })[0],
    ).toMatch(/content-type "text\/plain"/);
    expect(
      responseProblems(create, { status: 429, headers: { ...json, 'retry-after': '3' }, text: '{"status":false}' }),
    ).toContain('body/message: is required');
    expect(responseProblems(create, { status: 429, headers: json, text: limited })).toEqual([
      'required header Retry-After is missing',
    ]);
    expect(
      responseProblems(create, { status: 429, headers: { ...json, 'retry-after': 'soon' }, text: limited }),
    ).toEqual(['header Retry-After: must be integer']);
  });
});
