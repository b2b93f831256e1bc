import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@aws-lambda-powertools/logger';
import { Producer } from '@platformatic/kafka';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import { buildIngestHandler } from '#shared/ingest/build-ingest-handler.ts';
import { localIngestConfig } from '#shared/ingest/local-ingest-config.ts';
import { LocalFrontDoor } from '../../local/front-door.ts';
import { HttpApiEmulator } from '../../local/http-api/http-api-emulator.ts';
import { loadLocalSettings } from '../../local/local-settings.ts';
import { EmfFileMetrics } from '../../local/observability/emf-file-metrics.ts';
import { generateEvent } from '../../local/produce/event-generator.ts';
import type { HttpLoadOptions } from '../../local/produce/http-load-generator.ts';
import { benchTopic, percentile } from './runtime-harness.ts';
import { costPerMillionEvents } from './scaling.ts';
import { medianOf } from './stats.ts';

const TOKEN = 'bench-front-door';
const PAYLOAD_BYTES = 512;

interface FrontDoorScenario {
  readonly batchSize: number;
  readonly concurrency: number;
  readonly door: {
    readonly eventsPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    /** Median time inside the ingest function per request: what Lambda bills. */
    readonly functionMsMedian: number;
  };
  readonly peer: { readonly eventsPerSecond: number; readonly p50Ms: number; readonly p99Ms: number };
  /** The emulator with a function that answers 202 at once: the HTTP part of the door's cost. */
  readonly httpFloor: { readonly eventsPerSecond: number; readonly p50Ms: number; readonly p99Ms: number };
  /** door ÷ peer accepted events per second, same batches and concurrency, same run. */
  readonly throughputRatio: number;
  readonly p50Ratio: number;
}

/**
 * The HTTP front door on the local stack — client → HTTP API emulator → ingest handler →
 * acks=all idempotent produce → 202 — against the peer of producing the same batches directly with
 * `@platformatic/kafka` (idempotent, acks=all) at the same concurrency. No throttling (rate and
 * burst far above the load) and reserved concurrency = the client's, so every request is answered
 * by the function: the figures are the door's own cost. Rounds alternate door and peer.
 */
async function runFrontDoorBenchmark(
  endpoints: LocalEndpoints,
  quick: boolean,
): Promise<FrontDoorScenario[]> {
  const events = quick ? 2_000 : 20_000;
  const rounds = quick ? 1 : 3;
  const scenarios = [
    { batchSize: 1, concurrency: 8 },
    { batchSize: 50, concurrency: 8 },
  ];
  const results: FrontDoorScenario[] = [];
  for (const { batchSize, concurrency } of scenarios) {
    const count = batchSize === 1 ? Math.round(events / 10) : events;
    const door: { eps: number; latencies: number[]; functionMs: number[] }[] = [];
    const peer: { eps: number; latencies: number[] }[] = [];
    const floor: { eps: number; latencies: number[] }[] = [];
    for (let round = 0; round < rounds; round++) {
      const topic = await benchTopic(endpoints, 'bench-door');
      door.push(await measureDoor(endpoints, topic, count, batchSize, concurrency));
      peer.push(await measurePeer(endpoints, topic, count, batchSize, concurrency));
      floor.push(await measureHttpFloor(count, batchSize, concurrency));
    }
    const doorEps = medianOf(door.map((r) => r.eps));
    const peerEps = medianOf(peer.map((r) => r.eps));
    const doorLatencies = door.flatMap((r) => r.latencies);
    const peerLatencies = peer.flatMap((r) => r.latencies);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    results.push({
      batchSize,
      concurrency,
      door: {
        eventsPerSecond: Math.round(doorEps),
        p50Ms: round2(percentile(doorLatencies, 50)),
        p99Ms: round2(percentile(doorLatencies, 99)),
        functionMsMedian: round2(medianOf(door.flatMap((r) => r.functionMs))),
      },
      peer: {
        eventsPerSecond: Math.round(peerEps),
        p50Ms: round2(percentile(peerLatencies, 50)),
        p99Ms: round2(percentile(peerLatencies, 99)),
      },
      httpFloor: summarise(floor),
      throughputRatio: round2(doorEps / peerEps),
      p50Ratio: round2(percentile(doorLatencies, 50) / percentile(peerLatencies, 50)),
    });
  }
  return results;
}

function summarise(runs: readonly { eps: number; latencies: number[] }[]) {
  const latencies = runs.flatMap((r) => r.latencies);
  return {
    eventsPerSecond: Math.round(medianOf(runs.map((r) => r.eps))),
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
  };
}

/** The same client against the emulator alone: a function that answers 202 with the ids at once. */
async function measureHttpFloor(
  count: number,
  batchSize: number,
  concurrency: number,
): Promise<{ eps: number; latencies: number[] }> {
  const api = new HttpApiEmulator({
    routes: {
      'POST /events': {
        functionName: 'floor',
        reservedConcurrency: concurrency,
        handler: async (event) => {
          const { body, isBase64Encoded } = event as { body: string; isBase64Encoded: boolean };
          const text = isBase64Encoded ? Buffer.from(body, 'base64').toString() : body;
          const events = JSON.parse(text) as { id: string }[] | { id: string };
          const accepted = Array.isArray(events) ? events.map((e) => e.id) : [events.id];
          return { statusCode: 202, body: JSON.stringify({ accepted, refused: [] }) };
        },
      },
    },
    bearerToken: TOKEN,
  });
  const url = await api.start();
  try {
    const summary = await clientThread({ ...load(url, count, batchSize, concurrency), runId: 'floor' });
    return { eps: (count * 1_000) / summary.durationMs, latencies: summary.acceptedLatenciesMs };
  } finally {
    await api.stop();
  }
}

async function measureDoor(
  endpoints: LocalEndpoints,
  topic: string,
  count: number,
  batchSize: number,
  concurrency: number,
): Promise<{ eps: number; latencies: number[]; functionMs: number[] }> {
  const settings = loadLocalSettings({
    topic,
    ingest: { throttling: { rateLimit: 10_000, burstLimit: 5_000 }, reservedConcurrency: concurrency },
  });
  const config = localIngestConfig(settings, endpoints);
  const ingest = buildIngestHandler(config, {
    logger: new Logger({ serviceName: config.serviceName, logLevel: 'SILENT' }),
    metrics: new EmfFileMetrics(
      { namespace: config.metricsNamespace, serviceName: config.serviceName },
      join(mkdtempSync(join(tmpdir(), 'eventpipe-bench-door-')), 'emf.jsonl'),
    ),
  });
  const door = await LocalFrontDoor.start({ ingest, settings: settings.ingest, bearerToken: TOKEN, port: 0 });
  try {
    // Warm-up: the producer connects on the first request, as on a cold Lambda container.
    await clientThread({ ...load(door.url, 20, batchSize, concurrency), runId: `${topic}-warm` });
    door.stats.functionMs.length = 0;
    const summary = await clientThread({ ...load(door.url, count, batchSize, concurrency), runId: topic });
    if (summary.accepted !== count) {
      throw new Error(`front door bench: ${summary.accepted} of ${count} accepted: ${summary.byStatus}`);
    }
    return {
      eps: (count * 1_000) / summary.durationMs,
      latencies: [...summary.acceptedLatenciesMs],
      functionMs: [...door.stats.functionMs],
    };
  } finally {
    await door.stop();
  }
}

interface ClientResult {
  readonly accepted: number;
  readonly byStatus: [number, number][];
  readonly acceptedLatenciesMs: number[];
  readonly durationMs: number;
}

/** Runs the HTTP client on a worker thread (bench/suites/http-client-worker.ts). */
function clientThread(options: HttpLoadOptions): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-client-worker.ts', import.meta.url), { workerData: options });
    worker.once('message', (result: ClientResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the bench client exited with ${code}`));
    });
  });
}

function load(url: string, count: number, batchSize: number, concurrency: number) {
  return {
    url,
    bearerToken: TOKEN,
    count,
    batchSize,
    concurrency,
    keyCardinality: 300,
    payloadBytes: PAYLOAD_BYTES,
    invalidShare: 0,
  };
}

async function measurePeer(
  endpoints: LocalEndpoints,
  topic: string,
  count: number,
  batchSize: number,
  concurrency: number,
): Promise<{ eps: number; latencies: number[] }> {
  const producer = new Producer({
    clientId: 'eventpipe-bench-peer',
    bootstrapBrokers: endpoints.kafkaBrokers,
    acks: -1,
    idempotent: true,
  });
  try {
    const options = {
      runId: `${topic}-peer`,
      keyCardinality: 300,
      payloadBytes: PAYLOAD_BYTES,
      invalidShare: 0,
    };
    const send = (from: number, to: number) =>
      producer.send({
        messages: Array.from({ length: to - from }, (_, i) => {
          const event = generateEvent(from + i, options);
          return { topic, key: Buffer.from(event.key), value: Buffer.from(event.value) };
        }),
      });
    await send(0, Math.min(20, count));
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < count) {
        const from = next;
        next = Math.min(count, next + batchSize);
        const sent = performance.now();
        await send(from, next);
        latencies.push(performance.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { eps: (count * 1_000) / (performance.now() - started), latencies };
  } finally {
    await producer.close();
  }
}

/**
 * The front door's cost per million events on AWS, us-east-1 list prices read 2026-11-27:
 * API Gateway HTTP API $1.00 per million requests (first 300 million a month; a request is metered
 * per 512 KB: https://aws.amazon.com/api-gateway/pricing/), plus the ingest function (Lambda arm64,
 * requests and GB-seconds, {@link costPerMillionEvents}) at the measured median duration. Data
 * transfer out (the small JSON answers) and MSK are left out.
 *
 * @param functionMs - median time in the ingest function per request (measured locally)
 * @param eventsPerRequest - the batch size
 * @param memoryMb - the ingest function's memory (the settings' default is 512)
 */
function frontDoorCostPerMillionEvents(functionMs: number, eventsPerRequest: number, memoryMb: number) {
  const HTTP_API_USD_PER_MILLION_REQUESTS = 1;
  const lambda = costPerMillionEvents(functionMs, eventsPerRequest, memoryMb);
  const apiGateway = HTTP_API_USD_PER_MILLION_REQUESTS / eventsPerRequest;
  return {
    eventsPerRequest,
    functionMs,
    usdApiGateway: Number(apiGateway.toFixed(6)),
    usdLambda: lambda.usdTotal,
    usdTotal: Number((apiGateway + lambda.usdTotal).toFixed(6)),
  };
}

export type { FrontDoorScenario };
export { frontDoorCostPerMillionEvents, runFrontDoorBenchmark };
