import type { SQSClient } from '@aws-sdk/client-sqs';
import { createLogUpdate } from 'log-update';
import { MetricName } from '#shared/observability/metric-names.ts';
import { queueDepth } from '../local-sqs-client.ts';
import type { EmfAggregate } from '../observability/emf-aggregate.ts';
import type { LocalRuntime } from '../runtime.ts';
import type { WebhookSink } from '../sink/webhook-sink.ts';

interface LiveSnapshot {
  readonly elapsedSeconds: number;
  readonly produced?: number;
  readonly consumer: Record<string, number>;
  readonly worker: Record<string, number>;
  readonly retryQueueDepth: number;
  readonly dlqDepth: number;
  readonly lag: number;
  readonly eventsPerSecond: number;
  readonly latencyP50?: number;
  readonly latencyP99?: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  readonly reservedConcurrency: number;
  readonly buffered: number;
  readonly delivered: number;
  readonly duplicates: number;
  /** The HTTP front door, when it is served. */
  readonly frontDoor?: FrontDoorSnapshot;
}

interface FrontDoorSnapshot {
  readonly url: string;
  /** Events acknowledged by Kafka (in 202 answers). */
  readonly ingested: number;
  /** Events refused one by one inside answered requests (invalid, too large). */
  readonly refusedEvents: number;
  /** Requests answered, by status. */
  readonly requestsByStatus: Readonly<Record<string, number>>;
}

/** Reads everything the view shows: handler metrics, ESM state, queue depths, lag, sink counts. */
async function takeSnapshot(parts: {
  runtime: LocalRuntime;
  aggregate: EmfAggregate;
  sqs: SQSClient;
  sink?: WebhookSink;
  startedAt: number;
  previous?: { at: number; processed: number };
  reservedConcurrency: number;
  produced?: number;
}): Promise<LiveSnapshot> {
  const { runtime, aggregate, sqs, sink } = parts;
  const [retryQueueDepth, dlqDepth, lag] = await Promise.all([
    queueDepth(sqs, runtime.queues.retryQueueUrl),
    queueDepth(sqs, runtime.queues.dlqUrl),
    runtime.kafkaEsm.lag().catch(() => -1),
  ]);
  const processed =
    aggregate.total('kafka-consumer', MetricName.PROCESSED) +
    aggregate.total('retry-worker', MetricName.PROCESSED);
  const now = Date.now();
  const eventsPerSecond = parts.previous
    ? ((processed - parts.previous.processed) * 1_000) / Math.max(1, now - parts.previous.at)
    : 0;
  return {
    elapsedSeconds: (now - parts.startedAt) / 1_000,
    produced: parts.produced,
    consumer: aggregate.counts('kafka-consumer'),
    worker: aggregate.counts('retry-worker'),
    retryQueueDepth,
    dlqDepth,
    lag,
    eventsPerSecond,
    latencyP50: aggregate.percentile('kafka-consumer', MetricName.PROCESSING_LATENCY, 50),
    latencyP99: aggregate.percentile('kafka-consumer', MetricName.PROCESSING_LATENCY, 99),
    inFlight: runtime.kafkaEsm.stats.inFlight,
    maxInFlight: runtime.kafkaEsm.stats.maxInFlight,
    reservedConcurrency: parts.reservedConcurrency,
    buffered: runtime.kafkaEsm.stats.buffered,
    delivered: sink?.stats.delivered ?? 0,
    duplicates: sink?.stats.duplicates ?? 0,
    frontDoor: runtime.frontDoor && {
      url: runtime.frontDoor.url,
      ingested: runtime.frontDoor.stats.ingested,
      refusedEvents: runtime.frontDoor.stats.refusedEvents,
      requestsByStatus: Object.fromEntries(runtime.frontDoor.stats.requestsByStatus),
    },
  };
}

/**
 * The terminal view of `eventpipe start`: one screen, redrawn every second.
 *
 * @example
 * ```ts
 * liveViewWriter(process.stdout, true).draw(snapshot);
 * ```
 */
function renderLiveView(s: LiveSnapshot): string {
  const n = (value: number | undefined) =>
    value === undefined ? '–' : Math.round(value).toLocaleString('en-US');
  const c = (name: string) => n(s.consumer[name] ?? 0);
  const w = (name: string) => n(s.worker[name] ?? 0);
  const lines = [
    `eventpipe — local runtime (${s.elapsedSeconds.toFixed(0)} s)${s.produced === undefined ? '' : `   demo produced: ${n(s.produced)}`}`,
    '',
    `                 received   processed     retried  dead-lettered`,
    `  consumer     ${c('Received').padStart(9)} ${c('Processed').padStart(11)} ${c('Retried').padStart(11)} ${c('DeadLettered').padStart(14)}`,
    `  retry worker ${w('Received').padStart(9)} ${w('Processed').padStart(11)} ${w('Retried').padStart(11)} ${w('DeadLettered').padStart(14)}`,
    '',
    `  retrying (retry queue)  ${n(s.retryQueueDepth).padStart(9)}     dead-letter queue  ${n(s.dlqDepth).padStart(9)}`,
    `  consumer lag (records)  ${n(s.lag).padStart(9)}     throughput (ev/s)  ${n(s.eventsPerSecond).padStart(9)}`,
    `  latency p50 / p99 (ms)  ${`${n(s.latencyP50)} / ${n(s.latencyP99)}`.padStart(9)}     delivered to sink  ${n(s.delivered).padStart(9)} (${n(s.duplicates)} dup)`,
    `  invocations in flight   ${`${s.inFlight}/${s.reservedConcurrency}`.padStart(9)}     buffered records   ${n(s.buffered).padStart(9)}`,
    ...frontDoorLines(s.frontDoor, n),
    '',
    '  Ctrl-C stops gracefully (in-flight batches finish and commit); twice exits at once.',
  ];
  return `${lines.join('\n')}\n`;
}

/** The front door's lines: events in, events refused, and every request status seen. */
function frontDoorLines(door: FrontDoorSnapshot | undefined, n: (value: number) => string): string[] {
  if (!door) return [];
  const refused = Object.entries(door.requestsByStatus)
    .filter(([status]) => status !== '202')
    .map(([status, count]) => `${status} ×${n(count)}`);
  return [
    '',
    `  front door ${door.url}/events   ingested ${n(door.ingested)} events   refused events ${n(door.refusedEvents)}`,
    `  requests   202 ×${n(door.requestsByStatus['202'] ?? 0)}   refused: ${refused.length > 0 ? refused.join('  ') : 'none'}`,
  ];
}

interface LiveViewWriter {
  draw(snapshot: LiveSnapshot): void;
  /** Leaves the last frame on screen; later draws (a refresh still in flight) are dropped. */
  done(): void;
}

/**
 * Draws the live view: on a terminal in place (log-update rewrites only the lines of the previous
 * frame, so the scrollback above it survives, unlike clearing the screen), elsewhere (a pipe, a CI
 * log) frame after frame.
 *
 * @param stream - where to draw, usually `process.stdout`
 * @param tty - whether `stream` is a terminal that the view may redraw
 * @example
 * ```ts
 * const view = liveViewWriter(process.stdout, process.stdout.isTTY);
 * view.draw(await takeSnapshot(parts));
 * view.done();
 * ```
 */
function liveViewWriter(stream: NodeJS.WriteStream, tty: boolean): LiveViewWriter {
  let closed = false;
  if (!tty) {
    return {
      draw: (snapshot) => {
        if (!closed) stream.write(`${renderLiveView(snapshot)}\n`);
      },
      done: () => {
        closed = true;
      },
    };
  }
  const update = createLogUpdate(stream);
  return {
    draw: (snapshot) => {
      if (!closed) update(renderLiveView(snapshot));
    },
    done: () => {
      if (closed) return;
      closed = true;
      update.done();
    },
  };
}

export type { FrontDoorSnapshot, LiveSnapshot };
export { liveViewWriter, renderLiveView, takeSnapshot };
