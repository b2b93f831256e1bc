import type * as z from 'zod/mini';
import { DlqTarget } from '../pipeline/constants.ts';
import { ENV } from './env-names.ts';
import { EnvCodec, type EnvTable, loadFromEnvironment, toEnvironment } from './env-table.ts';
import { integer, nonEmptyText, objectOf, optional, url } from './field-kinds.ts';
import type { IssueSink } from './field-rule.ts';
import { checkKafkaSecret, KAFKA_CONNECTION_ENV, KAFKA_CONNECTION_RULES } from './kafka-connection-config.ts';
import { SQS_MAX_MESSAGE_BYTES } from './limits.ts';
import { checkBackoff, PIPELINE_SETTING_RULES } from './pipeline-settings.ts';

/** The deployment settings the functions read, under the same names ({@link PIPELINE_SETTING_RULES}). */
const RUNTIME_SETTING_KEYS = Object.keys(PIPELINE_SETTING_RULES) as RuntimeSettingKey[];
type RuntimeSettingKey = keyof typeof PIPELINE_SETTING_RULES;

/** Dead letters go to the SQS DLQ unless the target is Kafka alone. */
function checkDlqUrl(
  config: { readonly dlqTarget: DlqTarget; readonly dlqUrl?: string | undefined },
  issues: IssueSink,
): void {
  if (config.dlqTarget !== DlqTarget.KAFKA && !config.dlqUrl) {
    issues.addIssue({
      code: 'custom',
      path: ['dlqUrl'],
      message: `required when the DLQ target is "${config.dlqTarget}"`,
    });
  }
}

/**
 * The functions' runtime configuration: the deployment settings they need (same names, same
 * bounds), plus what only the deployment knows (queue URLs, brokers, region). Read from the
 * environment at cold start through {@link RUNTIME_ENV}; the CDK stack writes the same variables
 * ({@link toLambdaEnvironment}), and the local runtime builds the same object.
 *
 * ```json
 * { "retryQueueUrl": "https://sqs.eu-west-1.amazonaws.com/123/eventpipe-retry", "dlqTarget": "sqs",
 *   "maxAttempts": 5, "backoffBaseSeconds": 10, "backoffCapSeconds": 3600, "recordConcurrency": 10,
 *   "circuitBreaker": { "failureThreshold": 5, "openSeconds": 30 },
 *   "routes": { "order.placed": "https://orders.example.com/hooks/events" } }
 * ```
 */
const RuntimeConfigRule = objectOf(
  {
    retryQueueUrl: url(),
    dlqUrl: optional(url()),
    ...KAFKA_CONNECTION_RULES,
    ...PIPELINE_SETTING_RULES,
    maxMessageBytes: integer(1_024, SQS_MAX_MESSAGE_BYTES, SQS_MAX_MESSAGE_BYTES),
    sqsEndpoint: optional(url()),
    region: nonEmptyText(),
  },
  [checkDlqUrl, checkKafkaSecret, checkBackoff],
);

type RuntimeConfig = z.infer<typeof RuntimeConfigRule.schema>;
type RuntimeConfigInput = z.input<typeof RuntimeConfigRule.schema>;

/**
 * The settings a batch runs with, in the consumer and in the retry worker: fields of the runtime
 * configuration under their own names (the functions pass their `RuntimeConfig` as is).
 */
type PipelineSettings = Pick<
  RuntimeConfig,
  | 'recordConcurrency'
  | 'deadlineMarginMs'
  | 'maxAttempts'
  | 'backoffBaseSeconds'
  | 'backoffCapSeconds'
  | 'maxRedrives'
  | 'maxMessageBytes'
  | 'maxRecordBytes'
>;

/**
 * Which environment variable each configuration value comes from (nested values by dotted path),
 * and how it is written there. The order is the order of the problems in an error message.
 */
const RUNTIME_ENV = {
  retryQueueUrl: [ENV.RETRY_QUEUE_URL, EnvCodec.TEXT],
  dlqUrl: [ENV.DLQ_URL, EnvCodec.TEXT],
  dlqTarget: [ENV.DLQ_TARGET, EnvCodec.TEXT],
  dlqTopic: [ENV.DLQ_TOPIC, EnvCodec.TEXT],
  ...KAFKA_CONNECTION_ENV,
  maxAttempts: [ENV.MAX_ATTEMPTS, EnvCodec.NUMBER],
  backoffBaseSeconds: [ENV.BACKOFF_BASE_SECONDS, EnvCodec.NUMBER],
  backoffCapSeconds: [ENV.BACKOFF_CAP_SECONDS, EnvCodec.NUMBER],
  recordConcurrency: [ENV.RECORD_CONCURRENCY, EnvCodec.NUMBER],
  deadlineMarginMs: [ENV.DEADLINE_MARGIN_MS, EnvCodec.NUMBER],
  maxRedrives: [ENV.MAX_REDRIVES, EnvCodec.NUMBER],
  routes: [ENV.ROUTES, EnvCodec.JSON],
  httpTimeoutMs: [ENV.HTTP_TIMEOUT_MS, EnvCodec.NUMBER],
  'circuitBreaker.failureThreshold': [ENV.BREAKER_FAILURES, EnvCodec.NUMBER],
  'circuitBreaker.openSeconds': [ENV.BREAKER_OPEN_SECONDS, EnvCodec.NUMBER],
  maxMessageBytes: [ENV.MAX_MESSAGE_BYTES, EnvCodec.NUMBER],
  maxRecordBytes: [ENV.MAX_RECORD_BYTES, EnvCodec.NUMBER],
  sqsEndpoint: [ENV.SQS_ENDPOINT, EnvCodec.TEXT],
  region: [ENV.AWS_REGION, EnvCodec.TEXT],
  serviceName: [ENV.SERVICE_NAME, EnvCodec.TEXT],
  metricsNamespace: [ENV.METRICS_NAMESPACE, EnvCodec.TEXT],
  logLevel: [ENV.LOG_LEVEL, EnvCodec.TEXT],
} as const satisfies EnvTable;

/**
 * Parses the runtime configuration from an environment, failing with every offending variable
 * named in one message (at cold start, before any record is touched).
 *
 * @param env - the environment to read, usually `process.env`
 * @example
 * ```ts
 * const config = loadRuntimeConfig(process.env);
 * ```
 */
function loadRuntimeConfig(env: Readonly<Record<string, string | undefined>>): RuntimeConfig {
  return loadFromEnvironment(RuntimeConfigRule, RUNTIME_ENV, env);
}

/**
 * The environment variables that reproduce a configuration: what the CDK stack sets on the
 * functions and what the local runtime passes to {@link loadRuntimeConfig}.
 *
 * @example
 * ```ts
 * new NodejsFunction(this, 'Consumer', { environment: toLambdaEnvironment(input) });
 * ```
 */
function toLambdaEnvironment(config: Partial<RuntimeConfig>): Record<string, string> {
  return toEnvironment(RUNTIME_ENV, config);
}

export type { PipelineSettings, RuntimeConfig, RuntimeConfigInput, RuntimeSettingKey };
export { loadRuntimeConfig, RUNTIME_ENV, RUNTIME_SETTING_KEYS, RuntimeConfigRule, toLambdaEnvironment };
