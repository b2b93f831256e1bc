import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../local/services/constants.ts';
import { groupedBars, line } from './svg-charts.ts';

/**
 * Renders docs/charts/*.svg from a benchmark results file (default: the newest in bench/results).
 * Usage: node bench/render-charts.ts [results.json]
 */
const resultsDir = join(PROJECT_ROOT, 'bench', 'results');
const file =
  process.argv[2] ??
  join(
    resultsDir,
    readdirSync(resultsDir)
      // `--lean-only` results hold only the issue-12 suites (see render-lean-charts.ts).
      .filter((name) => name.endsWith('.json') && !name.includes('-lean'))
      .sort()
      .at(-1) ?? '',
  );
const results = JSON.parse(readFileSync(file, 'utf8')) as {
  pipeline: { payloadBytes: number; baselineNsPerRecord: number; productNsPerRecord: number }[];
  endToEnd?: { bareConsumer: number[]; localRuntime: number[] };
  latency?: { batchingWindow: string; p50Ms: number; p95Ms: number; p99Ms: number }[];
  backlogMemory?: { rssCurveMb: number[] };
  scaling?: { reservedConcurrency: number; batchSize: number; eventsPerSecond: number }[];
};
const out = join(PROJECT_ROOT, 'docs', 'charts');
mkdirSync(out, { recursive: true });
const write = (name: string, svg: string) => writeFileSync(join(out, name), svg);

write(
  'pipeline-cost.svg',
  groupedBars(
    'Per-record cost: product vs base64 + JSON.parse',
    'ns per record',
    results.pipeline.map((p) => `${p.payloadBytes} B`),
    [
      { name: 'baseline', values: results.pipeline.map((p) => p.baselineNsPerRecord) },
      { name: 'product', values: results.pipeline.map((p) => p.productNsPerRecord) },
    ],
  ),
);
if (results.endToEnd) {
  write(
    'end-to-end.svg',
    groupedBars(
      'End-to-end throughput by round',
      'events/s',
      results.endToEnd.bareConsumer.map((_, i) => `round ${i + 1}`),
      [
        { name: 'bare consumer', values: results.endToEnd.bareConsumer },
        { name: 'local runtime', values: results.endToEnd.localRuntime },
      ],
    ),
  );
}
if (results.latency) {
  write(
    'latency.svg',
    groupedBars(
      'Latency at 2,000 events/s',
      'ms',
      results.latency.map((l) => `window ${l.batchingWindow}`),
      [
        { name: 'p50', values: results.latency.map((l) => l.p50Ms) },
        { name: 'p95', values: results.latency.map((l) => l.p95Ms) },
        { name: 'p99', values: results.latency.map((l) => l.p99Ms) },
      ],
    ),
  );
}
if (results.backlogMemory)
  write(
    'backlog-rss.svg',
    line('Runtime RSS while draining the backlog', 'RSS (MB)', 'seconds', results.backlogMemory.rssCurveMb),
  );
if (results.scaling) {
  const batches = [...new Set(results.scaling.map((cell) => cell.batchSize))];
  const pools = [...new Set(results.scaling.map((cell) => cell.reservedConcurrency))];
  write(
    'scaling.svg',
    groupedBars(
      'Events/s by batch size and reserved concurrency (1 ms processor)',
      'events/s',
      batches.map((b) => `batch ${b}`),
      pools.map((pool) => ({
        name: `concurrency ${pool}`,
        values: batches.map(
          (batch) =>
            results.scaling?.find((c) => c.batchSize === batch && c.reservedConcurrency === pool)
              ?.eventsPerSecond ?? 0,
        ),
      })),
    ),
  );
}
console.log(`charts written to ${out} from ${file}`);
