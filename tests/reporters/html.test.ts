/**
 * The HTML report as text: every server-supplied string escaped, nothing that loads from anywhere,
 * its own style and script allowed by the CSP hashes, the matrix rows and cells, the caps on big
 * runs, and no crash on odd input. What renders in a browser is in tests/browser/.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { escapeHtml, renderHtml } from '../../conformance/reporters/html.js';
import { type CaseSpec, HOSTILE, makeReport, SPEC } from './fixtures.js';

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/** `data-status="X" data-kind="Y" data-cases="N" data-failed="M"` of every matrix cell. */
function cells(html: string): { status: string; kind: string; cases: number; failed: number; state: string }[] {
  return [
    ...html.matchAll(
      /<td class="cell (\w+)" data-status="([^"]*)" data-kind="([^"]*)" data-cases="(\d+)" data-failed="(\d+)"/g,
    ),
  ].map((m) => ({ state: m[1]!, status: m[2]!, kind: m[3]!, cases: Number(m[4]), failed: Number(m[5]) }));
}

test('an interrupted run says so at the top and in its section: its verdict covers only what was sent', () => {
  const report = { ...makeReport([{ status: 201 }]), interrupted: 'SIGINT' };
  const html = renderHtml([report], { specs: [SPEC] });
  expect(html).toContain('<span class="badge refuted" id="interrupted">INTERRUPTED (SIGINT)</span>');
  expect(html).toContain('<strong data-meta="interrupted">SIGINT</strong>: the run stopped sending its planned cases');
  expect(renderHtml([makeReport([{ status: 201 }])], { specs: [SPEC] })).not.toContain('INTERRUPTED');
});

test('operations never asked about a record the run made are named beside the run', () => {
  const report = { ...makeReport([{ status: 404 }]), unreached: ['getContact<x>'] };
  expect(renderHtml([report], { specs: [SPEC] })).toContain(
    '<span data-meta="unreached">getContact&lt;x&gt;</span>: never asked about a record the run made',
  );
  expect(renderHtml([makeReport([{ status: 201 }])], { specs: [SPEC] })).not.toContain('data-meta="unreached"');
});

describe('escaping', () => {
  test('escapeHtml: markup as entities, controls and bidi overrides as visible escapes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml('a\u202eb\u0007c\rd\u2028e')).toBe('a\\u202eb\\u0007c\\rd\\u2028e');
    expect(escapeHtml('line 1\n\tline 2')).toBe('line 1\n\tline 2');
    expect(escapeHtml(null)).toBe('null');
  });

  test('hostile text in every field of the report renders as text, never as markup', () => {
    const report = makeReport(
      [
        {
          operationId: `op${HOSTILE}`,
          kind: `kind${HOSTILE}`,
          name: `name${HOSTILE}`,
          status: 500,
          failed: ['not_a_server_error'],
          body: `body${HOSTILE}`,
          headers: { [`x-${HOSTILE}`]: `value${HOSTILE}`, 'content-type': `text/html${HOSTILE}` },
          message: `message${HOSTILE}`,
        },
      ],
      {
        spec: `specs/${HOSTILE}.yaml`,
        baseUrl: `http://127.0.0.1:9/${HOSTILE}`,
        notSent: 1,
        notSentBy: [{ operationId: `op${HOSTILE}`, reason: `unsent${HOSTILE}`, requests: 1 }],
      },
    );
    report.assumptions = [
      {
        operationId: `op${HOSTILE}`,
        pointer: `/paths/${HOSTILE}`,
        keyword: `kw${HOSTILE}`,
        reason: `reason${HOSTILE}`,
        verdict: 'refuted',
        case: `case${HOSTILE}`,
        status: 400,
        mediaType: 'application/json',
        curl: `curl ${HOSTILE}`,
      },
    ];
    const html = renderHtml([report], {
      specs: [{ ...SPEC, title: `title${HOSTILE}`, version: HOSTILE }],
      generatedAt: new Date(0),
    });
    // The page's one script is its own; the hostile markup is nowhere as markup ...
    expect(count(html, /<script/gi)).toBe(1);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('onerror="window');
    expect(html).not.toContain('\u202e');
    // ... but everywhere as text.
    const shown =
      '&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;';
    for (const field of ['op', 'name', 'body', 'message', 'reason', 'kw', 'title', 'x-', 'value', 'curl ', 'unsent'])
      expect(html, field).toContain(`${field}${shown}`);
    expect(html).toContain('\\u202e\\u0007');
  });

  test('nothing is loaded from anywhere; the CSP allows exactly the inline style and script', () => {
    const html = renderHtml([makeReport([{ status: 201 }, { status: 500, failed: ['not_a_server_error'] }])], {
      specs: [SPEC],
    });
    // No attribute that loads or navigates anywhere but within the page.
    for (const match of html.matchAll(/\s(src|href|action|srcset|formaction|poster|data)\s*=\s*"([^"]*)"/gi))
      expect(match[2], match[0]).toMatch(/^#/);
    expect(html).not.toMatch(/<link|<iframe|<object|<embed|@import|url\(/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(count(html, /<style/g)).toBe(1);
    expect(html).not.toMatch(/\sstyle="/);
  });
});

describe('coverage matrix', () => {
  test('documented statuses × case kinds: seen, failed, never reached, undocumented, no response, not sent', () => {
    const cases: CaseSpec[] = [
      { status: 201 },
      { status: 201 },
      { status: 201, failed: ['status_code_documented'] },
      { kind: 'negative', status: 422 },
      { kind: 'negative', status: 400 },
      { kind: 'auth', status: 401 },
      { kind: 'header', status: 302 },
      { kind: 'stateful', status: 201 },
      { status: null, failed: ['not_a_server_error'] },
      { kind: 'stateful', status: 'not-sent' },
    ];
    const spec = {
      ...SPEC,
      operations: [{ ...SPEC.operations[0]!, responses: SPEC.operations[0]!.responses.slice(0, 3) }],
    };
    const html = renderHtml([makeReport(cases)], { specs: [spec] });
    const all = cells(html);
    const cell = (status: string, kind: string) => all.find((c) => c.status === status && c.kind === kind);
    expect(cell('201', 'positive')).toMatchObject({ cases: 3, failed: 1, state: 'failed' });
    expect(cell('201', 'stateful')).toMatchObject({ cases: 1, failed: 0, state: 'seen' });
    // 422, 400 and 401 all fall under the documented 4XX range.
    expect(cell('4XX', 'negative')).toMatchObject({ cases: 2, state: 'seen' });
    expect(cell('4XX', 'auth')).toMatchObject({ cases: 1, state: 'seen' });
    expect(cell('4XX', 'all')).toMatchObject({ cases: 3 });
    // 500 is documented and never reached; 302 is not documented.
    expect(html).toMatch(/<tr class="row never" data-status="500"/);
    expect(cell('500', 'all')).toMatchObject({ cases: 0, state: 'empty' });
    expect(html).toMatch(/<tr class="row undocumented" data-status="302"/);
    expect(cell('302', 'header')).toMatchObject({ cases: 1, state: 'seen' });
    expect(cell('no response', 'positive')).toMatchObject({ cases: 1, failed: 1, state: 'failed' });
    expect(cell('not sent', 'stateful')).toMatchObject({ cases: 1, failed: 0, state: 'unanswered' });
    // Every case is in exactly one row.
    expect(all.filter((c) => c.kind === 'all').reduce((sum, c) => sum + c.cases, 0)).toBe(cases.length);
    expect(all.filter((c) => c.kind === 'rate-limit').every((c) => c.cases === 0)).toBe(true);
  });

  test('a status falls under its exact code, then its range, then default', () => {
    const html = renderHtml([makeReport([{ status: 201 }, { status: 404 }, { status: 302 }, { status: 503 }])], {
      specs: [SPEC],
    });
    const all = cells(html).filter((c) => c.kind === 'all');
    expect(Object.fromEntries(all.map((c) => [c.status, c.cases]))).toEqual({
      '201': 1,
      '4XX': 1,
      '500': 0,
      default: 2,
    });
    expect(html).toContain('<span class="tag inferred"');
  });

  test('without a spec the rows are the statuses seen; operations of the report but not of the spec still show', () => {
    const report = makeReport([{ status: 200 }, { operationId: 'other', status: 204 }]);
    const html = renderHtml([report]);
    expect(html).toMatch(/data-operation="createThing"/);
    expect(html).toMatch(/data-operation="other"/);
    expect(cells(html).filter((c) => c.kind === 'all')).toHaveLength(2);
    const withSpec = renderHtml([report], { specs: [SPEC] });
    expect(withSpec).toMatch(/data-operation="other"/);
  });
});

describe('the page', () => {
  test('counts, seed, timing, failure groups with expected, got, exchange and curl', () => {
    const report = makeReport([
      { status: 201 },
      { status: 500, failed: ['not_a_server_error'], message: 'server error 500' },
      { status: 500, failed: ['not_a_server_error'], message: 'server error 500' },
    ]);
    const html = renderHtml([report], { specs: [SPEC], elapsedMs: [1234], generatedAt: new Date(0) });
    expect(html).toContain('<span class="n" data-count="total">6</span>');
    expect(html).toContain('<span class="n" data-count="failed">2</span>');
    expect(html).toContain('<span class="n" data-count="passed">4</span>');
    expect(html).toContain('<span class="n" data-count="cases">3</span>');
    expect(html).toContain('<code data-meta="seed">42</code>');
    expect(html).toContain('1.23 s for 3 requests');
    expect(html).toContain(new Date(1_700_000_000_000).toISOString());
    expect(count(html, /<details class="failure"/g)).toBe(1);
    expect(html).toContain('data-count="2"');
    expect(html).toContain('<span class="label">expected</span><code>a documented status</code>');
    expect(html).toContain('<span class="label">got</span><code>500</code>');
    expect(html).toContain('#2 case 2');
    expect(html).toContain('curl -i -X POST');
    expect(html).toContain('Bearer ***');
    expect(html).toContain('id="verdict">FAILED<');
  });

  test('several reports: one section each, a link to each, one verdict over all', () => {
    const passing = makeReport([{ status: 201 }], { spec: 'specs/a.yaml' });
    const failing = makeReport([{ status: 500, failed: ['not_a_server_error'] }], { spec: 'specs/b.yaml' });
    const html = renderHtml([passing, failing], { specs: [SPEC, undefined] });
    expect(count(html, /<section class="api /g)).toBe(2);
    expect(html).toContain('<section class="api passed" id="api-1" data-spec="specs/a.yaml">');
    expect(html).toContain('<section class="api failed" id="api-2" data-spec="specs/b.yaml">');
    expect(html).toContain('href="#api-1"');
    expect(html).toContain('href="#api-2"');
    expect(html).toContain('2 APIs · 4 checks: 3 passed, 1 failed, 0 skipped');
    expect(html).toContain('id="verdict">FAILED<');
  });

  test('thousands of cases: the page caps the rows and groups it renders and says so', () => {
    const cases: CaseSpec[] = Array.from({ length: 6000 }, (_, i) => ({
      status: i % 2 === 0 ? 201 : 500,
      ...(i % 2 === 1 ? { failed: ['not_a_server_error'], message: `failure ${((i - 1) / 2) % 600}` } : {}),
      body: 'x'.repeat(40_000),
    }));
    const report = makeReport(cases);
    expect(report.groups).toHaveLength(600);
    const html = renderHtml([report], { specs: [SPEC], limits: { caseRows: 500, groups: 50 } });
    expect(count(html, /<tr class="case /g)).toBe(500);
    expect(count(html, /<details class="failure"/g)).toBe(50);
    expect(html).toContain('Showing the first 500 of 6000 cases');
    expect(html).toContain('Showing 50 of 600 failure groups');
    // Bodies are clipped: 50 groups of 40 KB bodies would be 2 MB alone.
    expect(html).toContain('more characters not shown');
    expect(html.length).toBeLessThan(2_000_000);
    // The default caps hold too.
    const defaults = renderHtml([report], { specs: [SPEC] });
    expect(count(defaults, /<tr class="case /g)).toBe(1000);
    expect(count(defaults, /<details class="failure"/g)).toBe(200);
  });

  test('odd input never crashes: no report, an empty report, no exchanges, unknown kinds and statuses', () => {
    expect(renderHtml([])).toContain('No report.');
    expect(renderHtml([makeReport([])], { specs: [SPEC] })).toContain('No failures.');
    const report = makeReport([{ kind: 'future-kind', status: 999 }, { status: 100 }]);
    report.exchanges = [];
    const html = renderHtml([report], { specs: [{ ...SPEC, operations: [] }], elapsedMs: [Number.NaN] });
    expect(html).toContain('<th scope="col">future-kind</th>');
    expect(html).toMatch(/data-status="999"/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const withCycle = makeReport([{ status: 500, failed: ['not_a_server_error'] }]);
    withCycle.failures[0]!.response.body = cyclic;
    expect(() => renderHtml([withCycle])).not.toThrow();
  });
});
