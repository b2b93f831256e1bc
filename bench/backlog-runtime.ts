import { setTimeout as sleep } from 'node:timers/promises';
import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { startBenchRuntime } from './suites/runtime-harness.ts';

/**
 * The runtime alone in its own process, draining a pre-filled topic, so that its RSS is what is
 * measured: prints one JSON line per second ({ rssMb, committed, inFlight, buffered }) and a final
 * summary line. Usage: node bench/backlog-runtime.ts <topic> <backlog> <seconds>
 */
const [topic = '', backlogArg = '0', secondsArg = '0'] = process.argv.slice(2);
const backlog = Number(backlogArg);
const seconds = Number(secondsArg);
const PROCESSOR_MS = 5;
const processor: Processor = () => sleep(PROCESSOR_MS);
const runtime = await startBenchRuntime(loadLocalEndpoints(process.env), topic, processor, {
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  reservedConcurrency: 4,
  recordConcurrency: 10,
});
const started = Date.now();
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
console.log(JSON.stringify({ sample: 'start', rssMb: rss() }));
while (Date.now() - started < seconds * 1_000 && runtime.kafkaEsm.stats.recordsCommitted < backlog) {
  await sleep(1_000);
  const { recordsCommitted, inFlight, buffered } = runtime.kafkaEsm.stats;
  console.log(
    JSON.stringify({ sample: 'tick', rssMb: rss(), committed: recordsCommitted, inFlight, buffered }),
  );
}
await runtime.stop(10_000);
const { stats } = runtime.kafkaEsm;
console.log(
  JSON.stringify({ sample: 'done', seconds: Math.round((Date.now() - started) / 1_000), ...stats }),
);
process.exit(0);
