import { LAMBDA_MAX_PAYLOAD_BYTES } from '#shared/config/limits.ts';

/** The Kafka event source emulator's tuning: Lambda's own behaviour where it is documented. */
const KAFKA_ESM = {
  /** Lambda's 6 MB invoke payload, less room for the event's envelope around the records. */
  maxEventBytes: LAMBDA_MAX_PAYLOAD_BYTES - 64 * 1024,
  /** Lambda's default batching window for Kafka when none is configured. */
  defaultBatchingWindowMs: 500,
  /** Whole-batch retries after a function error back off from 1 s to 30 s, like Lambda's. */
  retryBaseMs: 1_000,
  retryCapMs: 30_000,
  /** After the consumer's stream fails, it is rebuilt after 1 s, 2 s, 4 s… at most 5 s apart. */
  reconnectBaseMs: 1_000,
  reconnectCapMs: 5_000,
  /** Buffered records per in-flight slot before fetching pauses (backpressure). */
  bufferBatchesPerSlot: 2,
  /** Whatever the partitions look like, buffered payload never exceeds this. */
  bufferMaxBytes: 32 * 1024 * 1024,
  /**
   * Fetch sizes: small enough that one fetch spans several partitions (the stream delivers a fetch
   * partition by partition), large enough for throughput. Kafka still returns an oversized record.
   */
  fetchMaxBytes: 1024 * 1024,
  fetchMaxBytesPerPartition: 256 * 1024,
  /**
   * Group membership: a member that dies without leaving (SIGKILL) is noticed after the session
   * timeout and its partitions move on; the client defaults (60 s / 102 s) would stall a laptop run.
   */
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 20_000,
} as const;

/** The SQS event source emulator's tuning. */
const SQS_ESM = {
  /** Long polling; shorter than SQS's 20 s maximum so that shutdown is prompt. */
  waitTimeSeconds: 5,
  /** Pause after a failed receive (SQS unreachable) before polling again. */
  receiveErrorPauseMs: 1_000,
} as const;

export { KAFKA_ESM, SQS_ESM };
