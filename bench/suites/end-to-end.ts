import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, type Message, MessagesStreamModes } from '@platformatic/kafka';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import { loadLocalSettings } from '../../local/local-settings.ts';
import { LocalRuntime } from '../../local/runtime.ts';
import { benchBacklog } from './runtime-harness.ts';

const BARE_COMMIT_EVERY = 500;
const ROUND_TIMEOUT_MS = 600_000;

interface EndToEndResult {
  readonly events: number;
  readonly rounds: number;
  /** events/s per round, in the order run (bare and runtime alternate). */
  readonly bareConsumer: number[];
  readonly localRuntime: number[];
  readonly bareMedian: number;
  readonly runtimeMedian: number;
  /** localRuntime / bareConsumer medians; the target is ≥ 0.8. */
  readonly ratio: number;
}

/**
 * Throughput from a pre-filled topic: (a) a bare `@platformatic/kafka` consumer group reading and
 * committing every event — the ceiling on this machine — against (b) the local runtime (Kafka
 * event source emulator → consumer handler → no-op processor → commit) with batch size 500 and
 * reserved concurrency 6, alternating, each round with a fresh consumer group.
 */
async function runEndToEndBenchmark(endpoints: LocalEndpoints, quick: boolean): Promise<EndToEndResult> {
  const events = quick ? 5_000 : 200_000;
  const rounds = quick ? 1 : 3;
  const topic = await benchBacklog(endpoints, 'bench-e2e', events, 1_000);
  const bare: number[] = [];
  const runtime: number[] = [];
  for (let round = 0; round < rounds; round++) {
    bare.push(await bareConsumerRound(endpoints, topic, events, `${topic}-bare-${round}`));
    runtime.push(await runtimeRound(endpoints, topic, events, `${topic}-runtime-${round}`));
  }
  const bareMedian = median(bare);
  const runtimeMedian = median(runtime);
  return {
    events,
    rounds,
    bareConsumer: bare,
    localRuntime: runtime,
    bareMedian,
    runtimeMedian,
    ratio: Number((runtimeMedian / bareMedian).toFixed(2)),
  };
}

async function bareConsumerRound(
  endpoints: LocalEndpoints,
  topic: string,
  events: number,
  groupId: string,
): Promise<number> {
  const consumer = new Consumer({
    groupId,
    clientId: 'eventpipe-bench-bare',
    bootstrapBrokers: endpoints.kafkaBrokers,
  });
  const started = performance.now();
  const stream = await consumer.consume({
    topics: [topic],
    autocommit: false,
    mode: MessagesStreamModes.EARLIEST,
  });
  let seen = 0;
  let last: Message<Buffer, Buffer, Buffer, Buffer> | undefined;
  for await (const message of stream) {
    seen++;
    last = message;
    if (seen % BARE_COMMIT_EVERY === 0) await message.commit();
    if (seen >= events) break;
  }
  await last?.commit();
  const elapsed = performance.now() - started;
  await stream.close();
  await consumer.close(true);
  return Math.round((events * 1_000) / elapsed);
}

async function runtimeRound(
  endpoints: LocalEndpoints,
  topic: string,
  events: number,
  groupId: string,
): Promise<number> {
  const noop: EventRegistry = Object.fromEntries(
    Object.entries(eventTypes).map(([type, definition]) => [
      type,
      { ...definition, process: async () => undefined },
    ]),
  );
  const settings = loadLocalSettings({
    topic,
    consumerGroupId: groupId,
    batchSize: 500,
    maxBatchingWindowSeconds: 0,
    reservedConcurrency: 6,
  });
  const started = performance.now();
  const runtime = await LocalRuntime.start({
    settings,
    endpoints,
    registry: noop,
    queueNames: { retry: `${groupId}-retry`, dlq: `${groupId}-dlq` },
    handlerLogLevel: 'SILENT',
    metricsFile: join(mkdtempSync(join(tmpdir(), 'eventpipe-bench-')), 'emf.jsonl'),
  });
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  while (runtime.kafkaEsm.stats.recordsCommitted < events && Date.now() < deadline) await sleep(20);
  const elapsed = performance.now() - started;
  const committed = runtime.kafkaEsm.stats.recordsCommitted;
  await runtime.stop(10_000);
  if (committed < events)
    throw new Error(
      `the local runtime committed ${committed} of ${events} events within ${ROUND_TIMEOUT_MS / 1_000} s`,
    );
  return Math.round((events * 1_000) / elapsed);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export type { EndToEndResult };
export { runEndToEndBenchmark };
