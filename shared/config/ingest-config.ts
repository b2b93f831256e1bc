import type * as z from 'zod/mini';
import type { IngestSettings } from '../ingest/types.ts';
import { ENV } from './env-names.ts';
import { EnvCodec, type EnvTable, loadFromEnvironment, toEnvironment } from './env-table.ts';
import { nonEmptyText, objectOf } from './field-kinds.ts';
import type { IssueSink } from './field-rule.ts';
import { checkKafkaSecret, KAFKA_CONNECTION_ENV, KAFKA_CONNECTION_RULES } from './kafka-connection-config.ts';
import { INGEST_RECORD_OVERHEAD_BYTES, KAFKA_DEFAULT_MESSAGE_MAX_BYTES } from './limits.ts';
import { INGEST_LIMIT_RULES, KafkaTopicNameRule, PIPELINE_SETTING_RULES } from './pipeline-settings.ts';

/** The ingest function produces to the brokers it is given, or to those of its MSK cluster. */
function checkBrokers(
  config: {
    readonly kafkaBrokers?: readonly string[] | undefined;
    readonly mskClusterArn?: string | undefined;
  },
  issues: IssueSink,
): void {
  if (!config.kafkaBrokers && !config.mskClusterArn) {
    issues.addIssue({
      code: 'custom',
      path: ['kafkaBrokers'],
      message: `required without ${ENV.MSK_CLUSTER_ARN} (the brokers to produce to)`,
    });
  }
}

/**
 * The ingest function's runtime configuration: the topic it produces to, how it reaches Kafka,
 * and the front door's limits (the deployment's `ingest` block, same names and bounds). Read from
 * the environment at cold start through {@link INGEST_ENV}; the stack writes the same variables
 * ({@link toIngestEnvironment}); the local runtime builds the same object with the local brokers.
 *
 * ```json
 * { "topic": "orders", "mskClusterArn": "arn:aws:kafka:…", "kafkaAuth": "iam", "region": "eu-west-1",
 *   "maxBodyBytes": 1048576, "maxBatchEvents": 100, "produceTimeoutMs": 5000, "retryAfterSeconds": 5 }
 * ```
 */
const IngestConfigRule = objectOf(
  {
    topic: KafkaTopicNameRule,
    ...KAFKA_CONNECTION_RULES,
    ...INGEST_LIMIT_RULES,
    maxRecordBytes: PIPELINE_SETTING_RULES.maxRecordBytes,
    region: nonEmptyText(),
    serviceName: PIPELINE_SETTING_RULES.serviceName,
    metricsNamespace: PIPELINE_SETTING_RULES.metricsNamespace,
    logLevel: PIPELINE_SETTING_RULES.logLevel,
  },
  [checkKafkaSecret, checkBrokers],
);

type IngestConfig = z.infer<typeof IngestConfigRule.schema>;
type IngestConfigInput = z.input<typeof IngestConfigRule.schema>;

/** Which environment variable each ingest configuration value comes from. */
const INGEST_ENV = {
  topic: [ENV.TOPIC, EnvCodec.TEXT],
  ...KAFKA_CONNECTION_ENV,
  maxBodyBytes: [ENV.INGEST_MAX_BODY_BYTES, EnvCodec.NUMBER],
  maxBatchEvents: [ENV.INGEST_MAX_BATCH_EVENTS, EnvCodec.NUMBER],
  produceTimeoutMs: [ENV.INGEST_PRODUCE_TIMEOUT_MS, EnvCodec.NUMBER],
  retryAfterSeconds: [ENV.INGEST_RETRY_AFTER_SECONDS, EnvCodec.NUMBER],
  maxRecordBytes: [ENV.MAX_RECORD_BYTES, EnvCodec.NUMBER],
  region: [ENV.AWS_REGION, EnvCodec.TEXT],
  serviceName: [ENV.SERVICE_NAME, EnvCodec.TEXT],
  metricsNamespace: [ENV.METRICS_NAMESPACE, EnvCodec.TEXT],
  logLevel: [ENV.LOG_LEVEL, EnvCodec.TEXT],
} as const satisfies EnvTable;

/**
 * Parses the ingest configuration from an environment, naming every offending variable at once.
 *
 * @param env - the environment to read, usually `process.env`
 * @example
 * ```ts
 * const config = loadIngestConfig(process.env);
 * ```
 */
function loadIngestConfig(env: Readonly<Record<string, string | undefined>>): IngestConfig {
  return loadFromEnvironment(IngestConfigRule, INGEST_ENV, env);
}

/**
 * The environment variables that reproduce an ingest configuration (what the stack sets).
 *
 * @example
 * ```ts
 * new PipelineFunction(this, 'Ingest', { environment: toIngestEnvironment(config), ... });
 * ```
 */
function toIngestEnvironment(config: Partial<IngestConfig>): Record<string, string> {
  return toEnvironment(INGEST_ENV, config);
}

/**
 * The handler's limits from the configuration. An event may be as large as the consumer decodes
 * (`maxRecordBytes`), and no larger than a broker with default settings takes as one record with
 * its key and headers: beyond that, the produce would fail on every retry (a 503 forever).
 *
 * @example
 * ```ts
 * createIngestHandler({ settings: ingestSettings(config), ... });
 * ```
 */
function ingestSettings(config: IngestConfig): IngestSettings {
  return {
    maxBodyBytes: config.maxBodyBytes,
    maxBatchEvents: config.maxBatchEvents,
    maxEventBytes: Math.min(
      config.maxRecordBytes,
      KAFKA_DEFAULT_MESSAGE_MAX_BYTES - INGEST_RECORD_OVERHEAD_BYTES,
    ),
    produceTimeoutMs: config.produceTimeoutMs,
    retryAfterSeconds: config.retryAfterSeconds,
  };
}

export type { IngestConfig, IngestConfigInput };
export { INGEST_ENV, IngestConfigRule, ingestSettings, loadIngestConfig, toIngestEnvironment };
