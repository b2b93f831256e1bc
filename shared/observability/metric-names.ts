/**
 * The metrics the functions emit (CloudWatch EMF, one namespace, the service as the only
 * dimension). Per-stage dead-letter counts are separate names rather than a `stage` dimension so
 * that one invocation's metrics go out as one EMF blob.
 */
const MetricName = {
  BATCH_SIZE: 'BatchSize',
  RECEIVED: 'Received',
  PROCESSED: 'Processed',
  RETRIED: 'Retried',
  DEFERRED: 'Deferred',
  /** Retries sent again without calling the downstream because its circuit was open. */
  SHORT_CIRCUITED: 'ShortCircuited',
  DEAD_LETTERED: 'DeadLettered',
  RETRY_EXHAUSTED: 'RetryExhausted',
  HAND_OFF_FAILURES: 'HandOffFailures',
  PROCESSING_LATENCY: 'ProcessingLatency',
  EVENT_AGE: 'EventAge',
  /** The HTTP front door: events the broker acknowledged (answered 202). */
  INGESTED: 'Ingested',
  /** Events refused at the door (invalid, too large): answered 400, or listed as refused in a 202. */
  INGEST_REFUSED: 'IngestRefused',
  /** Requests answered 503: the broker did not acknowledge in time. */
  INGEST_UNAVAILABLE: 'IngestUnavailable',
} as const;
type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Metrics published as distributions (up to 100 quantiles per blob), not counts. */
const DISTRIBUTION_METRICS: ReadonlySet<string> = new Set([
  MetricName.PROCESSING_LATENCY,
  MetricName.EVENT_AGE,
  MetricName.BATCH_SIZE,
]);

/** `DeadLettered` + stage, e.g. `DeadLetteredDecode`. */
function deadLetteredByStage(stage: string): string {
  return `${MetricName.DEAD_LETTERED}${stage.charAt(0).toUpperCase()}${stage.slice(1)}`;
}

export { DISTRIBUTION_METRICS, deadLetteredByStage, MetricName };
