import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, type Message, type MessagesStream, MessagesStreamModes } from '@platformatic/kafka';
import type { KafkaRecord } from '#shared/pipeline/kafka-event.ts';
import * as tuning from './constants.ts';
import { invokeLocally, type LocalHandler } from './invoke.ts';
import {
  type FetchedRecord,
  type KafkaEventSource,
  recordPayloadBytes,
  toKafkaEvent,
  toLambdaRecord,
} from './kafka-event-builder.ts';
import { timestampOf, watchLogAppendTime } from './log-append-time.ts';
import { reconnectUntilStopped } from './reconnect.ts';
import { retryInvocation } from './retry-invocation.ts';

type KafkaMessage = Message<Buffer, Buffer, Buffer, Buffer>;

interface KafkaEsmOptions {
  readonly brokers: readonly string[];
  /** What the events say they came from: MSK (`aws:kafka` and the cluster ARN) or self-managed. */
  readonly eventSource: KafkaEventSource;
  readonly topic: string;
  readonly groupId: string;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly batchSize: number;
  /** @default 500 ms, Lambda's default for Kafka */
  readonly maxBatchingWindowMs?: number;
  /** The worker pool: at most this many invocations in flight. */
  readonly reservedConcurrency: number;
  readonly functionTimeoutMs: number;
  readonly handler: LocalHandler;
  /** Provisioned-mode error controls; without them a failing batch is retried until it succeeds. */
  readonly errorControls?: {
    /** -1: unlimited. */
    readonly retryAttempts: number;
    readonly bisectBatchOnError: boolean;
    /** Receives records given up on (the on-failure destination), before their offsets are committed. */
    readonly onFailure: (records: readonly KafkaRecord[], error: unknown) => Promise<void>;
  };
  readonly logger?: Pick<Console, 'info' | 'warn' | 'error'>;
}

interface PartitionState {
  buffer: KafkaMessage[];
  bufferedSince: number;
  inFlight: boolean;
  /** The next offset to accept: records below it are in flight or done (a refetch repeats them). */
  nextOffset: bigint;
  /** The next offset after the last committed batch, or -1 before any commit. */
  committed: bigint;
  /** The next offset after the batch in flight. */
  inFlightNext: bigint;
}

interface KafkaEsmStats {
  invocations: number;
  failedInvocations: number;
  recordsInvoked: number;
  recordsCommitted: number;
  inFlight: number;
  maxInFlight: number;
  buffered: number;
  maxBuffered: number;
  pauses: number;
  rebalances: number;
  /** Times the consumer was rebuilt after its stream failed (e.g. the broker was down). */
  reconnects: number;
}

/**
 * Emulates Lambda's Kafka event source mapping against a real broker: one consumer group, at most
 * one batch in flight per partition (per-partition order), batches of up to `batchSize` records
 * and 6 MB flushed after the batching window, at most `reservedConcurrency` invocations in flight
 * (when all are busy the buffer fills and fetching pauses: backpressure with bounded memory), and
 * offsets committed only after an invocation succeeds. A failed batch is retried with backoff and
 * never skipped (or, with error controls, bisected, retried a bounded number of times and handed
 * to the on-failure destination). On a rebalance, buffered records are dropped and refetched from
 * the committed offsets; in-flight batches finish, and a commit the group refuses is abandoned.
 * When the stream fails (the broker gone longer than the client's own retries), the consumer is
 * rebuilt with backoff until the broker answers again, as Lambda's pollers keep polling.
 *
 * @example
 * ```ts
 * const esm = new KafkaEsm({ brokers, eventSource: { eventSource: 'SelfManagedKafka' }, topic: 'orders', groupId: 'eventpipe', startingPosition: 'TRIM_HORIZON',
 *   batchSize: 100, reservedConcurrency: 4, functionTimeoutMs: 60_000, handler });
 * await esm.start();
 * await esm.stop(30_000);
 * ```
 */
class KafkaEsm {
  readonly stats: KafkaEsmStats = {
    invocations: 0,
    failedInvocations: 0,
    recordsInvoked: 0,
    recordsCommitted: 0,
    inFlight: 0,
    maxInFlight: 0,
    buffered: 0,
    maxBuffered: 0,
    pauses: 0,
    rebalances: 0,
    reconnects: 0,
  };
  readonly #options: KafkaEsmOptions;
  readonly #partitions = new Map<number, PartitionState>();
  readonly #windowMs: number;
  readonly #highWater: number;
  readonly #stopController = new AbortController();
  #consumer?: Consumer<Buffer, Buffer, Buffer, Buffer>;
  #stream?: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  #paused = false;
  /** This member's partitions since the last rebalance (undefined before the first join). */
  #assigned?: Set<number>;
  #bufferedBytes = 0;
  #timer?: NodeJS.Timeout;
  #idleWaiters: (() => void)[] = [];
  readonly #pendingCommits = new Set<Promise<void>>();
  #reconnecting?: Promise<void>;
  #unwatchLogAppendTime?: () => void;

  constructor(options: KafkaEsmOptions) {
    this.#options = options;
    this.#windowMs = options.maxBatchingWindowMs ?? tuning.DEFAULT_KAFKA_BATCHING_WINDOW_MS;
    this.#highWater = Math.max(
      options.batchSize,
      options.reservedConcurrency * options.batchSize * tuning.KAFKA_BUFFER_BATCHES_PER_SLOT,
    );
  }

  async start(): Promise<void> {
    this.#unwatchLogAppendTime = watchLogAppendTime((client) => client === this.#consumer);
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const { brokers, groupId, topic, startingPosition } = this.#options;
    const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
      groupId,
      clientId: 'eventpipe-kafka-esm',
      bootstrapBrokers: [...brokers],
      sessionTimeout: tuning.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: tuning.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeout: tuning.KAFKA_REBALANCE_TIMEOUT_MS,
    });
    consumer.on('consumer:group:join', (payload) => this.#onRebalance(payload.assignments));
    // Set before the first fetch, so that watchLogAppendTime recognises this consumer's fetches.
    const previous = this.#consumer;
    this.#consumer = consumer;
    const stream = await consumer
      .consume({
        topics: [topic],
        autocommit: false,
        mode: MessagesStreamModes.COMMITTED,
        fallbackMode: startingPosition === 'LATEST' ? 'latest' : 'earliest',
        maxWaitTime: 500,
        maxBytes: tuning.KAFKA_FETCH_MAX_BYTES,
        maxBytesPerPartition: tuning.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
      })
      .catch(async (error: unknown) => {
        this.#consumer = previous;
        await consumer.close(true).catch(() => undefined);
        throw error;
      });
    this.#stream = stream;
    this.#paused = false;
    stream.on('data', (message: KafkaMessage) => this.#onRecord(message));
    stream.on('error', (error: Error) => this.#onStreamError(consumer, error));
    this.#updateFlow();
  }

  /**
   * The stream ends on an error the client could not retry away. Records already accepted stay
   * buffered or in flight; the new consumer refetches from the committed offsets and the
   * `nextOffset` filter drops what was already accepted, so nothing is skipped or doubled.
   */
  #onStreamError(consumer: Consumer<Buffer, Buffer, Buffer, Buffer>, error: Error): void {
    this.#options.logger?.error(`kafka-esm: stream error: ${error.message}`);
    if (this.#consumer !== consumer || this.#reconnecting || this.#stopController.signal.aborted) return;
    this.#reconnecting = this.#reconnect(consumer).finally(() => {
      this.#reconnecting = undefined;
    });
  }

  async #reconnect(failed: Consumer<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
    const signal = this.#stopController.signal;
    await this.#stream?.close().catch(() => undefined);
    await failed.close(true).catch(() => undefined);
    await reconnectUntilStopped(() => this.#connect(), {
      signal,
      baseMs: tuning.KAFKA_RECONNECT_BASE_MS,
      capMs: tuning.KAFKA_RECONNECT_CAP_MS,
      onConnected: (attempts) => {
        this.stats.reconnects++;
        this.#options.logger?.warn(`kafka-esm: consuming again after ${attempts} reconnect attempts`);
      },
      onAttemptFailed: (attempt, error) =>
        this.#options.logger?.warn(`kafka-esm: reconnect attempt ${attempt} failed: ${error.message}`),
    });
  }

  /**
   * Stops fetching, lets in-flight invocations finish (at most `timeoutMs`), commits what
   * succeeded, and leaves the group. Buffered records are not committed: the next start refetches.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopController.abort();
    await this.#reconnecting;
    clearTimeout(this.#timer);
    this.#stream?.pause();
    const idle = new Promise<void>((resolve) => {
      if (this.stats.inFlight === 0) resolve();
      else this.#idleWaiters.push(resolve);
    });
    await Promise.race([idle, sleep(timeoutMs)]);
    await Promise.race([Promise.allSettled(this.#pendingCommits), sleep(timeoutMs)]);
    if (this.stats.inFlight > 0)
      this.#options.logger?.warn(
        `kafka-esm: ${this.stats.inFlight} invocations still in flight at the deadline; their batches stay uncommitted`,
      );
    await this.#stream?.close().catch(() => undefined);
    await this.#consumer?.close(true).catch(() => undefined);
    this.#unwatchLogAppendTime?.();
  }

  /** Records behind the group's committed offsets, per partition (the ESM's OffsetLag). */
  async lag(): Promise<number> {
    if (!this.#consumer) return 0;
    const lag = await this.#consumer.getLag({ topics: [this.#options.topic] });
    return (lag.get(this.#options.topic) ?? []).reduce(
      (sum, partitionLag) => sum + Number(partitionLag > 0n ? partitionLag : 0n),
      0,
    );
  }

  #state(partition: number): PartitionState {
    let state = this.#partitions.get(partition);
    if (!state) {
      state = {
        buffer: [],
        bufferedSince: 0,
        inFlight: false,
        nextOffset: -1n,
        committed: -1n,
        inFlightNext: -1n,
      };
      this.#partitions.set(partition, state);
    }
    return state;
  }

  #onRecord(message: KafkaMessage): void {
    if (this.#stopController.signal.aborted) return;
    // A record fetched before this partition was revoked: its new owner has it.
    if (this.#assigned && !this.#assigned.has(message.partition)) return;
    const state = this.#state(message.partition);
    if (message.offset < state.nextOffset) return; // refetched after a rebalance: already in flight or done
    if (state.buffer.length === 0) state.bufferedSince = Date.now();
    state.buffer.push(message);
    state.nextOffset = message.offset + 1n;
    this.stats.buffered++;
    this.#bufferedBytes += messageBytes(message);
    this.stats.maxBuffered = Math.max(this.stats.maxBuffered, this.stats.buffered);
    this.#updateFlow();
    this.#schedule();
  }

  /**
   * The group rebalanced. Partitions this member keeps keep their buffers: the stream refetches them
   * from the committed offsets, and those repeats fall below `nextOffset` and are ignored. (Dropping
   * the buffer instead is unsafe: records fetched before the rebalance can still arrive after it,
   * move `nextOffset` past the dropped range, and the refetch of that range would then be ignored —
   * a gap the next commit would skip.) Revoked partitions lose their buffers and are forgotten;
   * their in-flight batches finish but are not committed ({@link KafkaEsm.#commit}).
   */
  #onRebalance(assignments: readonly { topic: string; partitions: number[] }[] | undefined): void {
    this.stats.rebalances++;
    const mine = (assignments ?? this.#consumer?.assignments ?? []).find(
      (a) => a.topic === this.#options.topic,
    );
    this.#assigned = new Set(mine?.partitions ?? []);
    for (const [partition, state] of this.#partitions) {
      if (this.#assigned.has(partition)) continue;
      this.stats.buffered -= state.buffer.length;
      for (const message of state.buffer) this.#bufferedBytes -= messageBytes(message);
      state.buffer = [];
      state.nextOffset = -1n;
      state.committed = -1n;
    }
    this.#updateFlow();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#stopController.signal.aborted) return;
    const now = Date.now();
    let nextDue = Number.POSITIVE_INFINITY;
    for (const [partition, state] of this.#partitions) {
      if (state.inFlight || state.buffer.length === 0) continue;
      const dueAt = state.bufferedSince + this.#windowMs;
      if (state.buffer.length < this.#options.batchSize && dueAt > now) {
        nextDue = Math.min(nextDue, dueAt);
        continue;
      }
      if (this.stats.inFlight >= this.#options.reservedConcurrency) return; // a finishing batch reschedules
      this.#launch(partition, state);
    }
    if (Number.isFinite(nextDue)) this.#timer = setTimeout(() => this.#schedule(), nextDue - now);
  }

  #launch(partition: number, state: PartitionState): void {
    const batch: KafkaMessage[] = [];
    let bytes = 0;
    while (batch.length < this.#options.batchSize && state.buffer.length > 0) {
      const next = state.buffer[0] as KafkaMessage;
      // Sizing reads only key, value and headers: the full conversion waits for the invoke.
      const size = recordPayloadBytes(next);
      if (batch.length > 0 && bytes + size > tuning.MAX_KAFKA_EVENT_BYTES) break;
      batch.push(next);
      state.buffer.shift();
      bytes += size;
    }
    if (state.buffer.length > 0) state.bufferedSince = Date.now();
    this.stats.buffered -= batch.length;
    for (const message of batch) this.#bufferedBytes -= messageBytes(message);
    state.inFlight = true;
    state.inFlightNext = (batch[batch.length - 1] as KafkaMessage).offset + 1n;
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    this.#updateFlow();
    void this.#settle(partition, state, batch);
  }

  async #settle(partition: number, state: PartitionState, batch: KafkaMessage[]): Promise<void> {
    try {
      const done = await this.#deliver(
        batch.map((message) => toLambdaRecord(fetchedRecord(message))),
        0,
      );
      // The commit must follow the success, but the partition's next batch need not wait for the
      // commit's round trip (the client keeps the highest offset per partition). Waiting serialised
      // every partition behind the commits and left the emulator idle most of the time.
      if (done) this.#track(this.#commit(partition, state, batch));
    } catch (error) {
      this.#options.logger?.error(`kafka-esm: partition ${partition}: ${(error as Error).message}`);
    } finally {
      state.inFlight = false;
      this.stats.inFlight--;
      if (this.stats.inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      this.#updateFlow();
      this.#schedule();
    }
  }

  #track(commit: Promise<void>): void {
    this.#pendingCommits.add(commit);
    void commit.finally(() => this.#pendingCommits.delete(commit));
  }

  /** Invokes until the batch succeeds (true) or the emulator stops (false: abandon, do not commit). */
  async #deliver(records: KafkaRecord[], depth: number): Promise<boolean> {
    const controls = this.#options.errorControls;
    // Bisecting splits at the first failure; otherwise the configured retries, -1 or none: forever.
    const bisect = Boolean(controls?.bisectBatchOnError && records.length > 1);
    const result = await retryInvocation((attempt) => this.#invoke(records, attempt), {
      signal: this.#stopController.signal,
      baseMs: tuning.KAFKA_RETRY_BASE_MS,
      capMs: tuning.KAFKA_RETRY_CAP_MS,
      retries: bisect
        ? 0
        : controls && controls.retryAttempts !== -1
          ? controls.retryAttempts
          : Number.POSITIVE_INFINITY,
    });
    if (result.outcome === 'succeeded') return true;
    if (result.outcome === 'stopped') return false;
    if (bisect) {
      const middle = Math.ceil(records.length / 2);
      return (
        (await this.#deliver(records.slice(0, middle), depth + 1)) &&
        (await this.#deliver(records.slice(middle), depth + 1))
      );
    }
    await controls?.onFailure(records, result.error);
    return true;
  }

  async #invoke(records: KafkaRecord[], attempt: number): Promise<void> {
    this.stats.invocations++;
    this.stats.recordsInvoked += records.length;
    try {
      const event = toKafkaEvent(records, this.#options.brokers, this.#options.eventSource);
      await invokeLocally(this.#options.handler, event, {
        functionName: 'kafka-consumer',
        timeoutMs: this.#options.functionTimeoutMs,
      });
    } catch (error) {
      this.stats.failedInvocations++;
      this.#options.logger?.warn(
        `kafka-esm: invocation failed (attempt ${attempt}, ${records.length} records): ${(error as Error).message}`,
      );
      throw error;
    }
  }

  async #commit(partition: number, state: PartitionState, batch: KafkaMessage[]): Promise<void> {
    const last = batch[batch.length - 1] as KafkaMessage;
    if (this.#assigned && !this.#assigned.has(partition)) {
      // Revoked while in flight: committing could move the new owner's position. It redelivers.
      this.#options.logger?.warn(
        `kafka-esm: partition ${partition} was revoked during its batch; not committing up to ${last.offset}`,
      );
      return;
    }
    try {
      await last.commit();
      state.committed = last.offset + 1n;
      this.stats.recordsCommitted += batch.length;
    } catch (error) {
      // Typically the partition moved to another member in a rebalance: it redelivers the batch.
      this.#options.logger?.warn(
        `kafka-esm: commit of partition ${partition} up to ${last.offset} refused: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Backpressure. Fetching pauses once the buffer holds enough to keep every worker slot busy:
   * at least the high-water mark of records spread over enough partitions (or in flight) to fill
   * the pool. Pausing earlier would starve the pool, because a fetch arrives partition by
   * partition; past the byte cap it pauses regardless, so memory stays bounded.
   */
  #updateFlow(): void {
    if (this.#stopController.signal.aborted) return;
    let busyPartitions = 0;
    for (const state of this.#partitions.values())
      if (state.inFlight || state.buffer.length > 0) busyPartitions++;
    const assigned =
      this.#consumer?.assignments?.reduce((sum, a) => sum + a.partitions.length, 0) ||
      this.#options.reservedConcurrency;
    const poolCovered = busyPartitions >= Math.min(this.#options.reservedConcurrency, assigned);
    const full =
      (this.stats.buffered >= this.#highWater && poolCovered) ||
      this.#bufferedBytes >= tuning.KAFKA_BUFFER_MAX_BYTES;
    const drained = this.stats.buffered < this.#highWater / 2 || !poolCovered;
    if (!this.#paused && full) {
      this.#paused = true;
      this.stats.pauses++;
      this.#stream?.pause();
    } else if (this.#paused && drained && this.#bufferedBytes < tuning.KAFKA_BUFFER_MAX_BYTES) {
      this.#paused = false;
      this.#stream?.resume();
    }
  }
}

/**
 * A fetched message as the event builder takes it. A header without a value arrives as
 * `undefined`, whatever the client's types say.
 */
function fetchedRecord(message: KafkaMessage): FetchedRecord {
  return { ...message, ...timestampOf(message), headers: message.headers as Map<Buffer, Buffer | undefined> };
}

/** A record's share of buffered memory: its key and value. */
function messageBytes(message: KafkaMessage): number {
  return (message.key?.length ?? 0) + (message.value?.length ?? 0);
}

export type { KafkaEsmOptions, KafkaEsmStats };
export { KafkaEsm };
