import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { LOCAL_STATE_DIR, PROJECT_ROOT } from '../local/services/constants.ts';
import { runBacklogMemoryBenchmark } from './suites/backlog-memory.ts';
import { runEndToEndBenchmark } from './suites/end-to-end.ts';
import { runHandlerBenchmark } from './suites/handler.ts';
import { runLatencyBenchmark } from './suites/latency.ts';
import { runPipelineBenchmark } from './suites/pipeline.ts';
import { costPerMillionEvents, runScalingBenchmark } from './suites/scaling.ts';

/**
 * `npm run bench` runs every suite and writes bench/results/<date>.json; `--quick` runs tiny
 * counts (a smoke test of the scripts, for CI) and writes under .local/bench/ instead. Figures are
 * ratios against baselines measured in the same process, never timed assertions.
 */
const quick = process.argv.includes('--quick');
const endpoints = loadLocalEndpoints(process.env);
const started = Date.now();

const pipeline = await runPipelineBenchmark(quick);
console.log(
  '\npipeline: per-record cost, product (decode + validate + no-op process) vs base64 + JSON.parse',
);
console.table(pipeline);
const handler = await runHandlerBenchmark(endpoints, quick);
console.log('\nconsumer handler: 1,000-record MSK event, no-op processor, hand-offs to ElasticMQ');
console.table(handler);

const endToEnd = await runEndToEndBenchmark(endpoints, quick);
console.log(
  '\nend to end: bare consumer group vs local runtime (batch 500, reserved concurrency 6, no-op processor), events/s',
);
console.table({ bareConsumer: endToEnd.bareConsumer, localRuntime: endToEnd.localRuntime });
console.log(
  `medians: bare ${endToEnd.bareMedian}/s, runtime ${endToEnd.runtimeMedian}/s, ratio ${endToEnd.ratio}`,
);

const latency = await runLatencyBenchmark(endpoints, quick);
console.log('\nlatency: produce timestamp → processor, 2,000 events/s');
console.table(latency);
const backlogMemory = await runBacklogMemoryBenchmark(endpoints, quick);
console.log('\nbacklog and memory: 5 ms processor, reserved concurrency 4');
console.table({ ...backlogMemory, rssCurveMb: backlogMemory.rssCurveMb.join(' ') });
const scaling = await runScalingBenchmark(endpoints, quick);
console.log('\nscaling: events/s by reserved concurrency × batch size, 1 ms I/O processor');
console.table(scaling);
const allSucceed = handler.find((result) => result.scenario === 'all-succeed');
const cost = {
  noOpProcessor1000PerBatch: costPerMillionEvents(allSucceed?.msPerInvocation ?? 0, 1_000, 1_024),
  withFailures1000PerBatch: costPerMillionEvents(
    handler.find((r) => r.scenario === 'with-failures')?.msPerInvocation ?? 0,
    1_000,
    1_024,
  ),
};
console.log('\nLambda cost per million events (arm64, 1,024 MB, measured ms per invocation)');
console.table(cost);

const oneKib = pipeline.find((result) => result.payloadBytes === 1_024);
const withFailures = handler.find((result) => result.scenario === 'with-failures');
const targets = {
  pipelineRatio1KiB: {
    target: '≤ 2.0',
    measured: oneKib?.ratio,
    met: (oneKib?.ratio ?? Number.POSITIVE_INFINITY) <= 2,
  },
  endToEndRatio: { target: '≥ 0.8', measured: endToEnd.ratio, met: endToEnd.ratio >= 0.8 },
  peakRssUnder300MB: {
    target: '< 300 MB',
    measured: backlogMemory.rssMbPeak,
    met: backlogMemory.rssMbPeak < 300,
  },
  sqsRequestsPerFailedRecord: {
    target: '≤ 0.12',
    measured: withFailures?.sqsRequestsPerFailedRecord,
    met: (withFailures?.sqsRequestsPerFailedRecord ?? Number.POSITIVE_INFINITY) <= 0.12,
  },
};
console.log('\ntargets');
console.table(targets);

const report = {
  at: new Date().toISOString(),
  quick,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  durationSeconds: Math.round((Date.now() - started) / 1_000),
  pipeline,
  handler,
  endToEnd,
  latency,
  backlogMemory,
  scaling,
  cost,
  targets,
};
const dir = quick ? join(LOCAL_STATE_DIR, 'bench') : join(PROJECT_ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${report.at.slice(0, 10)}${quick ? '-quick' : ''}.json`);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwritten ${file} (${report.durationSeconds} s)`);
