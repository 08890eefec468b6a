/**
 * The summary's notes on what a run did not do: requests never sent, by operation and reason, and
 * records left behind, one line per create and reason with the first ids.
 */
import { describe, expect, test } from 'vitest';
import { renderSummaries, renderSummary } from '../../conformance/reporters/summary.js';
import { makeReport } from './fixtures.js';

describe('the summary', () => {
  test('names the operations whose requests were not sent, with why', () => {
    const report = makeReport([], {
      notSent: 5,
      notSentBy: [
        { operationId: 'deleteContact', reason: 'no record created by createContact to put at /id', requests: 4 },
        { operationId: 'readContact', reason: 'no record created by createContact to take id from', requests: 1 },
      ],
    });
    const lines = renderSummary(report, 10, 0).split('\n');
    const at = lines.indexOf('note: 5 planned requests were not sent:');
    expect(at).toBeGreaterThan(-1);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  deleteContact: 4 (no record created by createContact to put at /id)',
      '  readContact: 1 (no record created by createContact to take id from)',
    ]);
    const one = makeReport([], { notSent: 1, notSentBy: [{ operationId: 'x', reason: 'r', requests: 1 }] });
    expect(renderSummary(one, 10, 0)).toContain('note: 1 planned request was not sent:\n  x: 1 (r)');
  });

  test('one line per operation not sent, with its commonest reason and how many others the JSON report has', () => {
    const report = makeReport([], {
      notSent: 6,
      notSentBy: [
        { operationId: 'updateThing', reason: 'step 1 of "a" did not succeed', requests: 1 },
        { operationId: 'updateThing', reason: 'no record to put at /id', requests: 4 },
        { operationId: 'updateThing', reason: 'step 1 of "b" did not succeed', requests: 1 },
      ],
    });
    const lines = renderSummary(report, 10, 0).split('\n');
    expect(lines.filter((line) => line.startsWith('  updateThing'))).toEqual([
      '  updateThing: 6 (no record to put at /id; 2 other reasons in the JSON report)',
    ]);
  });

  test('a run with throttled answers says how many on its verdict line, and how to lift the limit', () => {
    const text = renderSummary(makeReport([], { throttled: 234 }), 10, 0);
    expect(text).toMatch(/^PASSED · 0 checks: 0 passed, 0 failed, 0 skipped · 234 answers throttled, not judged$/m);
    expect(text).toContain('contact-mock --rate-limit off');
    const outcome = (name: string, throttled: number) => ({
      name,
      report: makeReport([], { throttled }),
      elapsedMs: 10,
      requests: 0,
    });
    const all = renderSummaries([outcome('a', 2), outcome('b', 1), outcome('c', 0)], 10);
    expect(all).toMatch(/^PASSED · 3 APIs \(3 passed\) · 0 checks: .* · 3 answers throttled, not judged · 0 requests/m);
  });

  test('lists leftovers by create and reason, ten ids a line and how many more', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({
      operationId: 'createGroup',
      id: 100 + i,
      reason: 'no delete',
    }));
    const report = makeReport([], {
      cleanup: {
        cleaned: 2,
        leftovers: [...many, { operationId: 'createContact', id: 'c-1', reason: 'DELETE got 500' }],
      },
    });
    const text = renderSummary(report, 10, 0);
    expect(text).toContain('cleanup: 2 records the run created deleted; 14 left behind');
    expect(text).toContain(
      '  left: createGroup, 13 records (no delete): ids 100, 101, 102, 103, 104, 105, 106, 107, 108, 109 and 3 more (the JSON report lists every id)',
    );
    expect(text).toContain('  left: createContact, 1 record (DELETE got 500): id "c-1"');
    expect(text.match(/ {2}left: /g)).toHaveLength(2);
  });

  test('records left without an id are named by what they were sent with, or said to have nothing', () => {
    const unidentified = Array.from({ length: 12 }, (_, i) => ({
      operationId: 'createUser',
      id: null,
      reason: 'no id answered',
      ...(i === 1 ? {} : { sentWith: { username: `u${i}` } }),
    }));
    const text = renderSummary(makeReport([], { cleanup: { cleaned: 0, leftovers: unidentified } }), 10, 0);
    expect(text).toContain(
      '  left: createUser, 12 records (no id answered): sent with username "u0", nothing to find it by, username "u2"',
    );
    expect(text).toContain('username "u9" and 2 more (the JSON report lists every one)');
    expect(text).not.toContain('unknown');
  });
});
