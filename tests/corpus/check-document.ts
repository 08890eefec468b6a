/**
 * One corpus document end to end: the loader reads it, the mock serves it, and the runner against
 * the mock exits 0 or fails exactly where the document itself is flawed.
 */
import { expect } from 'vitest';
import { loadSpec } from '../../lib/spec.js';
import { startMock } from '../../mocks/server.js';
import { runConformance, summarize } from '../support/runner.js';
import { type CorpusDocument, RUN_ARGS } from './documents.js';

export async function checkDocument(document: CorpusDocument): Promise<void> {
  const spec = await loadSpec(document.file);
  expect(spec.operations.length, 'operations the loader read').toBe(document.operations);
  const mock = await startMock({ specFiles: [document.file], port: 0 });
  try {
    expect(mock.apis).toHaveLength(1);
    const run = await runConformance(['--spec', document.file, '--base-url', mock.apis[0]!.baseUrl, ...RUN_ARGS]);
    const context = `${run.describe()}\n${summarize(run.report)}`;
    const found = [...new Set((run.report?.failures ?? []).map((f) => `${f.check} ${f.operationId}`))].sort();
    expect(found, context).toEqual([...document.flaws].sort());
    expect(run.code, context).toBe(document.flaws.length === 0 ? 0 : 1);
    expect(run.report!.summary.passed, context).toBeGreaterThan(0);
  } finally {
    await mock.close();
  }
}
