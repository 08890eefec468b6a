/**
 * `npm run bench:plan`: how long the runner takes to plan the largest document of the corpus
 * (tests/corpus/adyen-management-v3.json, 134 operations, 1.4 MB), before the first request.
 *
 * 1. The whole document, as `conformance` plans it: load, compile nothing up front, plan every
 *    operation at the default --max-cases and at --max-cases 3; the time per operation is the
 *    whole divided by the operations.
 * 2. Each operation alone (`--operation <id>`), each with fresh validators as a separate run would
 *    have: the median and the slowest ten.
 *
 * Wall and CPU time of this process; `BENCH_DOC=<file>` plans another document, `BENCH_MAX_CASES`
 * another bound.
 */
import { planCases } from '../conformance/cases/plan.js';
import { DEFAULTS } from '../conformance/defaults.js';
import { loadSpec, type Spec } from '../lib/spec.js';
import { ValidatorCache } from '../lib/validator.js';

const DOC = process.env.BENCH_DOC ?? 'tests/corpus/adyen-management-v3.json';
const MAX_CASES = Number(process.env.BENCH_MAX_CASES ?? DEFAULTS.maxCases);

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function timed<T>(work: () => T): [T, Timing] {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(cpu);
  return [result, { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 }];
}

function plan(spec: Spec, maxCases: number, operations: string[] = []) {
  const validators = new ValidatorCache();
  validators.register(spec);
  return planCases(spec, validators, { seed: 1, nonce: 'bench', maxCases, operations, rateLimit: false });
}

const ms = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

const [spec, load] = await (async () => {
  const wall = performance.now();
  const loaded = await loadSpec(DOC);
  return [loaded, { wallMs: performance.now() - wall, cpuMs: 0 }] as const;
})();
const operations = spec.operations.length;
console.log(`${DOC}: ${operations} operations, loaded in ${ms(load.wallMs)}`);

for (const maxCases of [MAX_CASES, 3]) {
  const [result, time] = timed(() => plan(spec, maxCases));
  console.log(
    `whole document, --max-cases ${maxCases}: ${result.total} requests planned in ${ms(time.wallMs)} (CPU ${ms(time.cpuMs)}): ${ms(time.wallMs / operations)} per operation`,
  );
}

const alone = spec.operations.map((operation) => {
  const [result, time] = timed(() => plan(spec, MAX_CASES, [operation.operationId]));
  return { id: operation.operationId, requests: result.total, ...time };
});
alone.sort((a, b) => b.wallMs - a.wallMs);
const median = alone[Math.floor(alone.length / 2)]!;
console.log(
  `each operation alone, --max-cases ${MAX_CASES}: median ${ms(median.wallMs)}, slowest ${ms(alone[0]!.wallMs)}`,
);
for (const each of alone.slice(0, 10)) {
  console.log(`  ${ms(each.wallMs).padStart(9)}  ${String(each.requests).padStart(4)} requests  ${each.id}`);
}
