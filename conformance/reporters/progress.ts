/**
 * Progress while a run is under way: a cli-progress bar with the elapsed time and an estimate of
 * the time left on an interactive terminal, otherwise (not a TTY, or CI=true) one plain line per
 * operation once all its requests are answered. Requests are counted under a key: the operationId,
 * or `<api> <operationId>` in a run of several APIs.
 */
import cliProgress from 'cli-progress';
import type { CaseResult } from '../types.js';
import { PLAIN, type Style } from './style.js';
import { printable } from './summary.js';

export interface ProgressReporter {
  /** Requests planned per key, before the first is sent. */
  start(planned: Map<string, number>): void;
  /** One request of `key` answered, with the checks that failed on it. */
  tick(key: string, failedChecks: number): void;
  stop(): void;
}

/** Counted without building an array: this runs once per response. */
export function failedChecks(result: CaseResult): number {
  let failed = 0;
  for (const check of result.checks) if (check.status === 'failed') failed++;
  return failed;
}

/** `7s`, `1m05s`, `2h03m`: short enough to keep the bar on one line. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export interface ProgressState {
  done: number;
  total: number;
  failed: number;
  elapsedMs: number;
}

/**
 * The text after the bar. The estimate assumes the remaining requests go at the pace so far; it is
 * `--` until one is answered.
 */
export function progressText(state: ProgressState, style: Style = PLAIN): string {
  const { done, total, failed, elapsedMs } = state;
  const eta = done === 0 ? '--' : duration((elapsedMs / done) * (total - done));
  const failedText = `${failed} failed checks`;
  return `${done}/${total} requests · ${failed > 0 ? style.red(failedText) : failedText} · ${duration(elapsedMs)} elapsed · ETA ${eta}`;
}

export interface BarOptions {
  style?: Style;
  /** Milliseconds of a monotonic clock; tests inject one. */
  now?: () => number;
}

export function barProgress(stream: NodeJS.WriteStream, options: BarOptions = {}): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const style = options.style ?? PLAIN;
  let started = now();
  let failed = 0;
  // The text is made at each redraw, so the elapsed time moves while the run waits (a Retry-After, a slow answer).
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: (format, params) =>
        `conformance [${cliProgress.Format.BarFormat(params.progress, format)}] ${progressText(
          { done: params.value, total: params.total, failed, elapsedMs: now() - started },
          style,
        )}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (planned) => {
      started = now();
      bar.start(
        [...planned.values()].reduce((a, b) => a + b, 0),
        0,
      );
    },
    tick: (_key, failedChecks) => {
      failed += failedChecks;
      bar.increment(1);
    },
    stop: () => bar.stop(),
  };
}

export function lineProgress(write: (line: string) => void): ProgressReporter {
  const remaining = new Map<string, number>();
  const failed = new Map<string, number>();
  return {
    start: (planned) => {
      for (const [key, count] of planned) remaining.set(key, count);
    },
    tick: (key, failedChecks) => {
      failed.set(key, (failed.get(key) ?? 0) + failedChecks);
      const left = (remaining.get(key) ?? 1) - 1;
      remaining.set(key, left);
      if (left === 0) write(`${printable(key)}: all requests answered, ${failed.get(key)} failed checks`);
    },
    stop: () => undefined,
  };
}

export const silentProgress: ProgressReporter = {
  start: () => undefined,
  tick: () => undefined,
  stop: () => undefined,
};
