/**
 * Progress while a run is under way: a cli-progress bar on an interactive terminal, otherwise (not a
 * TTY, or CI=true) one plain line per operation once all its requests are answered.
 */
import cliProgress from 'cli-progress';
import type { CaseResult } from '../types.js';
import { printable } from './summary.js';

export interface ProgressReporter {
  start(planned: Map<string, number>): void;
  tick(result: CaseResult): void;
  stop(): void;
}

/** Counted without building an array: this runs once per response. */
function failedChecks(result: CaseResult): number {
  let failed = 0;
  for (const check of result.checks) if (check.status === 'failed') failed++;
  return failed;
}

export function barProgress(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'conformance [{bar}] {value}/{total} requests · {failed} failed checks',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let failed = 0;
  return {
    start: (planned) =>
      bar.start(
        [...planned.values()].reduce((a, b) => a + b, 0),
        0,
        { failed },
      ),
    tick: (result) => {
      failed += failedChecks(result);
      bar.increment(1, { failed });
    },
    stop: () => bar.stop(),
  };
}

export function lineProgress(write: (line: string) => void): ProgressReporter {
  const remaining = new Map<string, number>();
  const failed = new Map<string, number>();
  return {
    start: (planned) => {
      for (const [id, count] of planned) remaining.set(id, count);
    },
    tick: (result) => {
      const id = result.exchange.testCase.operation.operationId;
      failed.set(id, (failed.get(id) ?? 0) + failedChecks(result));
      const left = (remaining.get(id) ?? 1) - 1;
      remaining.set(id, left);
      if (left === 0) write(`${printable(id)}: all requests answered, ${failed.get(id)} failed checks`);
    },
    stop: () => undefined,
  };
}

export const silentProgress: ProgressReporter = {
  start: () => undefined,
  tick: () => undefined,
  stop: () => undefined,
};
