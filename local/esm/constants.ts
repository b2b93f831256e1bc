import { LAMBDA_MAX_PAYLOAD_BYTES } from '#shared/config/limits.ts';

/** Room for the event's envelope around the records within Lambda's 6 MB invoke payload. */
const KAFKA_EVENT_OVERHEAD_BYTES = 64 * 1024;
const MAX_KAFKA_EVENT_BYTES = LAMBDA_MAX_PAYLOAD_BYTES - KAFKA_EVENT_OVERHEAD_BYTES;
/** Lambda's default batching window for Kafka when none is configured. */
const DEFAULT_KAFKA_BATCHING_WINDOW_MS = 500;
/** Whole-batch retries after a function error back off from 1 s to 30 s, like Lambda's. */
const KAFKA_RETRY_BASE_MS = 1_000;
const KAFKA_RETRY_CAP_MS = 30_000;
/** After the consumer's stream fails, it is rebuilt after 1 s, 2 s, 4 s… at most 5 s apart. */
const KAFKA_RECONNECT_BASE_MS = 1_000;
const KAFKA_RECONNECT_CAP_MS = 5_000;
/** Buffered records per in-flight slot before fetching pauses (backpressure). */
const KAFKA_BUFFER_BATCHES_PER_SLOT = 2;
/**
 * Fetch sizes: small enough that one fetch spans several partitions (the stream delivers a fetch
 * partition by partition), large enough for throughput. Kafka still returns an oversized record.
 */
const KAFKA_FETCH_MAX_BYTES = 1024 * 1024;
const KAFKA_FETCH_MAX_BYTES_PER_PARTITION = 256 * 1024;
/**
 * Group membership: a member that dies without leaving (SIGKILL) is noticed after the session
 * timeout and its partitions move on; the client defaults (60 s / 102 s) would stall a laptop run.
 */
const KAFKA_SESSION_TIMEOUT_MS = 10_000;
const KAFKA_HEARTBEAT_INTERVAL_MS = 1_000;
const KAFKA_REBALANCE_TIMEOUT_MS = 20_000;
/** Whatever the partitions look like, buffered payload never exceeds this. */
const KAFKA_BUFFER_MAX_BYTES = 32 * 1024 * 1024;
/** SQS long polling; shorter than SQS's 20 s maximum so that shutdown is prompt. */
const SQS_WAIT_TIME_SECONDS = 5;
/** Pause after a failed receive (SQS unreachable) before polling again. */
const SQS_RECEIVE_ERROR_PAUSE_MS = 1_000;

export {
  DEFAULT_KAFKA_BATCHING_WINDOW_MS,
  KAFKA_BUFFER_BATCHES_PER_SLOT,
  KAFKA_BUFFER_MAX_BYTES,
  KAFKA_FETCH_MAX_BYTES,
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
  KAFKA_HEARTBEAT_INTERVAL_MS,
  KAFKA_REBALANCE_TIMEOUT_MS,
  KAFKA_RECONNECT_BASE_MS,
  KAFKA_RECONNECT_CAP_MS,
  KAFKA_RETRY_BASE_MS,
  KAFKA_RETRY_CAP_MS,
  KAFKA_SESSION_TIMEOUT_MS,
  MAX_KAFKA_EVENT_BYTES,
  SQS_RECEIVE_ERROR_PAUSE_MS,
  SQS_WAIT_TIME_SECONDS,
};
