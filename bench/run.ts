import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { LOCAL_STATE_DIR, PROJECT_ROOT } from '../local/services/constants.ts';
import { runBacklogMemoryBenchmark } from './suites/backlog-memory.ts';
import { runColdStartBenchmark } from './suites/cold-start.ts';
import { runDoorBacklogBenchmark } from './suites/door-backlog.ts';
import { runEndToEndBenchmark } from './suites/end-to-end.ts';
import { frontDoorCostPerMillionEvents, runFrontDoorBenchmark } from './suites/front-door.ts';
import { runHandlerBenchmark } from './suites/handler.ts';
import { runLatencyBenchmark } from './suites/latency.ts';
import { runPerRecordBenchmark } from './suites/per-record.ts';
import { runPipelineBenchmark } from './suites/pipeline.ts';
import { costPerMillionEvents, runScalingBenchmark } from './suites/scaling.ts';

/**
 * `npm run bench` runs every suite and writes bench/results/<date>.json; `--quick` runs tiny
 * counts (a smoke test of the scripts, for CI) and writes under .local/bench/ instead;
 * `--lean-only` runs only the bundle, cold-start and per-record suites (no local services needed)
 * and writes `<date>-lean.json`. Figures are ratios against baselines measured in the same process
 * or run, never timed assertions.
 */
const quick = process.argv.includes('--quick');
const leanOnly = process.argv.includes('--lean-only');
const endpoints = loadLocalEndpoints(process.env);
const started = Date.now();

const coldStart = await runColdStartBenchmark(quick);
console.log('\nbundles: minified KB (as the stack bundles them), ratio to the Powertools kafkaConsumer peer');
console.table(coldStart.sizes.map(({ topInputs, ...size }) => size));
for (const size of coldStart.sizes.filter((entry) => !entry.bundle.endsWith('-noop'))) {
  console.log(
    `top inputs of ${size.bundle}:`,
    size.topInputs.map((input) => `${input.input} ${input.kb} KB`).join(', '),
  );
}
console.log(
  '\ninit: fresh Node process, import + top level, median, ratio to the peers (same settings): the leanest, and as 2.35.0 deploys (codecs bundled)',
);
console.table(coldStart.init);
console.log(
  '\ncold invocation: init + first 1,000-record batch (~1 KiB), source maps on, median, ratio to the peers',
);
console.table(coldStart.coldInvocation);
const perRecord = await runPerRecordBenchmark(quick);
console.log('\nper record: warm handlers, 1,000-record MSK batches, all succeeding, interleaved');
console.table(perRecord);
if (leanOnly) {
  writeReport('lean', { coldStart, perRecord, targets: leanTargets() });
  process.exit(0);
}

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
const frontDoor = await runFrontDoorBenchmark(endpoints, quick);
console.log(
  '\nfront door: HTTP API emulator → ingest handler → acks=all produce → 202, vs producing directly (peer) and the emulator alone (HTTP floor)',
);
console.table(
  frontDoor.map(({ batchSize, concurrency, door, peer, httpFloor, throughputRatio, p50Ratio }) => ({
    batchSize,
    concurrency,
    doorEventsPerSecond: door.eventsPerSecond,
    doorP50Ms: door.p50Ms,
    doorP99Ms: door.p99Ms,
    functionMs: door.functionMsMedian,
    peerEventsPerSecond: peer.eventsPerSecond,
    peerP50Ms: peer.p50Ms,
    httpFloorEventsPerSecond: httpFloor.eventsPerSecond,
    throughputRatio,
    p50Ratio,
  })),
);
const frontDoorCost = frontDoor.map((scenario) =>
  frontDoorCostPerMillionEvents(scenario.door.functionMsMedian, scenario.batchSize, 512),
);
console.log('\nfront door cost per million events (HTTP API + Lambda arm64 512 MB, measured ms per request)');
console.table(frontDoorCost);
const doorBacklog = await runDoorBacklogBenchmark(endpoints, quick);
console.log('\nfront door above the consumer rate: does the growing lag hurt the consumer or the door?');
console.table(doorBacklog.samples);
console.log(
  `final lag ${doorBacklog.finalLag}, consumer events/s last ÷ first third ${doorBacklog.consumerLastToFirstThird}, door p50 last ÷ first third ${doorBacklog.doorP50LastToFirstThird}, max buffered ${doorBacklog.maxBufferedRecords}`,
);
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
  ...leanTargets(),
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

writeReport('', {
  coldStart,
  perRecord,
  pipeline,
  handler,
  endToEnd,
  latency,
  backlogMemory,
  scaling,
  cost,
  frontDoor,
  frontDoorCost,
  doorBacklog,
  targets,
});

/** Issue 12's targets: bundle size, init against the peer, warm cost against the floor and the peer. */
function leanTargets() {
  const functionSizes = coldStart.sizes.filter(
    (size) => size.bundle === 'kafka-consumer' || size.bundle === 'retry-worker',
  );
  const largestKb = Math.max(...functionSizes.map((size) => size.kb));
  const consumerInit = coldStart.init.find((entry) => entry.bundle === 'kafka-consumer' && entry.sourceMaps);
  const workerInit = coldStart.init.find((entry) => entry.bundle === 'retry-worker' && entry.sourceMaps);
  const initRatio = Math.max(consumerInit?.ratioToPeer ?? Number.NaN, workerInit?.ratioToPeer ?? Number.NaN);
  const initRatioWithCodecs = Math.max(
    consumerInit?.ratioToPeerWithCodecs ?? Number.NaN,
    workerInit?.ratioToPeerWithCodecs ?? Number.NaN,
  );
  const oneKib = perRecord.find((entry) => entry.payloadBytes === 1_024);
  const worstToPeer = Math.max(...perRecord.map((entry) => entry.consumerToPeer));
  return {
    bundleKbPerFunction: { target: '≤ 200', measured: largestKb, met: largestKb <= 200 },
    // Against the peer as Powertools 2.35.0 deploys (codecs bundled), and against the leanest one.
    initToPeerWithCodecsSourceMaps: {
      target: '≤ 0.8',
      measured: initRatioWithCodecs,
      met: initRatioWithCodecs <= 0.8,
    },
    initToPeerSourceMaps: { target: '≤ 0.8', measured: initRatio, met: initRatio <= 0.8 },
    warmToFloor1KiB: {
      target: '≤ 1.5',
      measured: oneKib?.consumerToFloor,
      met: (oneKib?.consumerToFloor ?? Number.POSITIVE_INFINITY) <= 1.5,
    },
    warmToPeerWorstSize: { target: '≤ 1.0', measured: worstToPeer, met: worstToPeer <= 1 },
  };
}

function writeReport(suffix: string, figures: Record<string, unknown>): void {
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
    ...figures,
  };
  const dir = quick ? join(LOCAL_STATE_DIR, 'bench') : join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const name = [report.at.slice(0, 10), suffix, quick ? 'quick' : ''].filter(Boolean).join('-');
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten ${file} (${report.durationSeconds} s)`);
}
