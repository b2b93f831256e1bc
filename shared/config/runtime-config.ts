import * as z from 'zod';
import { DlqTarget } from '../pipeline/constants.ts';
import { ENV } from './env-names.ts';
import { formatConfigError } from './format-config-error.ts';
import {
  DEFAULT_MAX_RECORD_BYTES,
  LAMBDA_MAX_PAYLOAD_BYTES,
  SQS_MAX_DELAY_SECONDS,
  SQS_MAX_MESSAGE_BYTES,
  SQS_MAX_VISIBILITY_SECONDS,
} from './limits.ts';
import { RouteUrlSchema } from './route-url.ts';

const DEFAULTS = {
  maxAttempts: 5,
  backoffBaseSeconds: 10,
  backoffCapSeconds: 3_600,
  recordConcurrency: 10,
  deadlineMarginMs: 3_000,
  maxRedrives: 3,
  httpTimeoutMs: 5_000,
  breakerFailures: 5,
  breakerOpenSeconds: 30,
  serviceName: 'eventpipe',
  metricsNamespace: 'EventPipe',
  logLevel: 'INFO',
} as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The functions' runtime configuration, read from the environment at cold start. The CDK stack
 * writes the same variables ({@link toLambdaEnvironment}), and the local runtime builds the same
 * object, so local and deployed behaviour match.
 *
 * ```json
 * { "retryQueueUrl": "https://sqs.eu-west-1.amazonaws.com/123/eventpipe-retry", "dlqTarget": "sqs",
 *   "maxAttempts": 5, "backoffBaseSeconds": 10, "backoffCapSeconds": 3600, "recordConcurrency": 10,
 *   "routes": { "order.placed": "https://orders.example.com/hooks/events" } }
 * ```
 */
const RuntimeConfigSchema = z
  .object({
    retryQueueUrl: z.url(),
    dlqUrl: z.url().optional(),
    dlqTarget: z.enum(Object.values(DlqTarget) as [DlqTarget, ...DlqTarget[]]).default(DlqTarget.SQS),
    /** Defaults to `<source topic>.dlq`. */
    dlqTopic: z.string().min(1).optional(),
    kafkaBrokers: z
      .string()
      .transform((list) => list.split(',').map((broker) => broker.trim()))
      .pipe(z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')).min(1))
      .optional(),
    mskClusterArn: z.string().startsWith('arn:').optional(),
    kafkaAuth: z.enum(['none', 'iam', 'scram']).default('none'),
    kafkaSecretArn: z.string().startsWith('arn:').optional(),
    maxAttempts: int(1, 100).default(DEFAULTS.maxAttempts),
    backoffBaseSeconds: int(1, SQS_MAX_DELAY_SECONDS).default(DEFAULTS.backoffBaseSeconds),
    backoffCapSeconds: int(1, SQS_MAX_VISIBILITY_SECONDS).default(DEFAULTS.backoffCapSeconds),
    recordConcurrency: int(1, 1_000).default(DEFAULTS.recordConcurrency),
    deadlineMarginMs: int(0, 120_000).default(DEFAULTS.deadlineMarginMs),
    maxRedrives: int(0, 100).default(DEFAULTS.maxRedrives),
    routes: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object {"<event type>": "<https url>"}' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string(), RouteUrlSchema))
      .default({}),
    httpTimeoutMs: int(100, 900_000).default(DEFAULTS.httpTimeoutMs),
    /** Consecutive transient failures of a route that open its circuit; 0 disables the breaker. */
    breakerFailures: int(0, 1_000).default(DEFAULTS.breakerFailures),
    breakerOpenSeconds: int(1, 3_600).default(DEFAULTS.breakerOpenSeconds),
    maxMessageBytes: int(1_024, SQS_MAX_MESSAGE_BYTES).default(SQS_MAX_MESSAGE_BYTES),
    /** A record value larger than this is dead-lettered undecoded (RecordTooLargeError). */
    maxRecordBytes: int(1_024, LAMBDA_MAX_PAYLOAD_BYTES).default(DEFAULT_MAX_RECORD_BYTES),
    sqsEndpoint: z.url().optional(),
    region: z.string().min(1),
    serviceName: z.string().min(1).default(DEFAULTS.serviceName),
    metricsNamespace: z.string().min(1).default(DEFAULTS.metricsNamespace),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default(DEFAULTS.logLevel),
  })
  .superRefine((config, ctx) => {
    if (config.dlqTarget !== DlqTarget.KAFKA && !config.dlqUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['dlqUrl'],
        message: `required when the DLQ target is "${config.dlqTarget}"`,
      });
    }
    if (config.kafkaAuth === 'scram' && !config.kafkaSecretArn) {
      ctx.addIssue({
        code: 'custom',
        path: ['kafkaSecretArn'],
        message: 'required for SASL/SCRAM authentication',
      });
    }
    if (config.backoffCapSeconds < config.backoffBaseSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['backoffCapSeconds'],
        message: 'must be at least the backoff base',
      });
    }
  });

type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
type RuntimeConfigInput = z.input<typeof RuntimeConfigSchema>;

/** Which environment variable each configuration key comes from. */
const RUNTIME_ENV = {
  retryQueueUrl: ENV.RETRY_QUEUE_URL,
  dlqUrl: ENV.DLQ_URL,
  dlqTarget: ENV.DLQ_TARGET,
  dlqTopic: ENV.DLQ_TOPIC,
  kafkaBrokers: ENV.KAFKA_BROKERS,
  mskClusterArn: ENV.MSK_CLUSTER_ARN,
  kafkaAuth: ENV.KAFKA_AUTH,
  kafkaSecretArn: ENV.KAFKA_SECRET_ARN,
  maxAttempts: ENV.MAX_ATTEMPTS,
  backoffBaseSeconds: ENV.BACKOFF_BASE_SECONDS,
  backoffCapSeconds: ENV.BACKOFF_CAP_SECONDS,
  recordConcurrency: ENV.RECORD_CONCURRENCY,
  deadlineMarginMs: ENV.DEADLINE_MARGIN_MS,
  maxRedrives: ENV.MAX_REDRIVES,
  routes: ENV.ROUTES,
  httpTimeoutMs: ENV.HTTP_TIMEOUT_MS,
  breakerFailures: ENV.BREAKER_FAILURES,
  breakerOpenSeconds: ENV.BREAKER_OPEN_SECONDS,
  maxMessageBytes: ENV.MAX_MESSAGE_BYTES,
  maxRecordBytes: ENV.MAX_RECORD_BYTES,
  sqsEndpoint: ENV.SQS_ENDPOINT,
  region: ENV.AWS_REGION,
  serviceName: ENV.SERVICE_NAME,
  metricsNamespace: ENV.METRICS_NAMESPACE,
  logLevel: ENV.LOG_LEVEL,
} as const satisfies Record<keyof RuntimeConfig, string>;

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
  const raw = Object.fromEntries(
    Object.entries(RUNTIME_ENV).map(([key, name]) => [key, env[name] === '' ? undefined : env[name]]),
  );
  // Parsed once per container: zod's JIT would compile a fast path for this object (a few ms of
  // cold start) that is never used again.
  const parsed = RuntimeConfigSchema.safeParse(raw, { jitless: true });
  if (!parsed.success) throw new Error(formatConfigError(parsed.error, RUNTIME_ENV));
  return parsed.data;
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
  const environment: Record<string, string> = {};
  for (const [key, name] of Object.entries(RUNTIME_ENV)) {
    const value = config[key as keyof RuntimeConfig];
    if (value === undefined || key === 'region') continue; // Lambda sets AWS_REGION itself.
    environment[name] = Array.isArray(value)
      ? value.join(',')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  }
  return environment;
}

export type { RuntimeConfig, RuntimeConfigInput };
export {
  DEFAULTS as RUNTIME_DEFAULTS,
  loadRuntimeConfig,
  RUNTIME_ENV,
  RuntimeConfigSchema,
  toLambdaEnvironment,
};
