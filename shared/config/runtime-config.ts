import * as z from 'zod/mini';
import { DlqTarget } from '../pipeline/constants.ts';
import { ENV } from './env-names.ts';
import { formatConfigError } from './format-config-error.ts';
import { SQS_MAX_MESSAGE_BYTES } from './limits.ts';
import { checkBackoff, integer, PIPELINE_SETTING_FIELDS } from './pipeline-settings.ts';
import { quickAccept } from './quick-accept.ts';
import './zod-locale.ts';

/** The deployment settings the functions read, under the same names ({@link PIPELINE_SETTING_FIELDS}). */
const RUNTIME_SETTING_KEYS = Object.keys(PIPELINE_SETTING_FIELDS) as RuntimeSettingKey[];
type RuntimeSettingKey = keyof typeof PIPELINE_SETTING_FIELDS;

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
const RuntimeConfigSchema = z
  .object({
    retryQueueUrl: z.url(),
    dlqUrl: z.optional(z.url()),
    kafkaBrokers: z.optional(
      z.array(z.string().check(z.regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port'))).check(z.minLength(1)),
    ),
    mskClusterArn: z.optional(z.string().check(z.startsWith('arn:'))),
    kafkaAuth: z._default(z.enum(['none', 'iam', 'scram']), 'none'),
    kafkaSecretArn: z.optional(z.string().check(z.startsWith('arn:'))),
    ...PIPELINE_SETTING_FIELDS,
    maxMessageBytes: integer(1_024, SQS_MAX_MESSAGE_BYTES, SQS_MAX_MESSAGE_BYTES),
    sqsEndpoint: z.optional(z.url()),
    region: z.string().check(z.minLength(1)),
  })
  .check(
    z.superRefine((config, ctx) => {
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
      checkBackoff(config, ctx);
    }),
  );

type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
type RuntimeConfigInput = z.input<typeof RuntimeConfigSchema>;

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

/** How a value travels as an environment variable (a string). */
const EnvCodec = { TEXT: 'text', NUMBER: 'number', LIST: 'list', JSON: 'json' } as const;
type EnvCodec = (typeof EnvCodec)[keyof typeof EnvCodec];

/**
 * Which environment variable each configuration value comes from (nested values by dotted path),
 * and how it is written there. The order is the order of the problems in an error message.
 */
const RUNTIME_ENV = {
  retryQueueUrl: [ENV.RETRY_QUEUE_URL, EnvCodec.TEXT],
  dlqUrl: [ENV.DLQ_URL, EnvCodec.TEXT],
  dlqTarget: [ENV.DLQ_TARGET, EnvCodec.TEXT],
  dlqTopic: [ENV.DLQ_TOPIC, EnvCodec.TEXT],
  kafkaBrokers: [ENV.KAFKA_BROKERS, EnvCodec.LIST],
  mskClusterArn: [ENV.MSK_CLUSTER_ARN, EnvCodec.TEXT],
  kafkaAuth: [ENV.KAFKA_AUTH, EnvCodec.TEXT],
  kafkaSecretArn: [ENV.KAFKA_SECRET_ARN, EnvCodec.TEXT],
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
} as const satisfies Record<string, readonly [string, EnvCodec]>;

const VARIABLE_OF = Object.fromEntries(Object.entries(RUNTIME_ENV).map(([path, [name]]) => [path, name]));
const PATHS = Object.keys(RUNTIME_ENV);
const ROUTES_FORMAT = 'must be a JSON object {"<event type>": "<https url>"}';

function decodeValue(text: string, codec: EnvCodec): unknown {
  if (codec === EnvCodec.NUMBER) return Number(text);
  if (codec === EnvCodec.LIST) return text.split(',').map((item) => item.trim());
  if (codec === EnvCodec.JSON) return JSON.parse(text) as unknown;
  return text;
}

function encodeValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The environment as the schema's input: nested objects, numbers, lists, parsed JSON. */
function decodeEnvironment(env: Readonly<Record<string, string | undefined>>): {
  raw: Record<string, unknown>;
  issues: z.core.$ZodIssue[];
} {
  const raw: Record<string, unknown> = {};
  const issues: z.core.$ZodIssue[] = [];
  for (const [path, [name, codec]] of Object.entries(RUNTIME_ENV)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const keys = path.split('.');
    try {
      setPath(raw, keys, decodeValue(text, codec));
    } catch {
      issues.push({ code: 'custom', path: keys, message: ROUTES_FORMAT, input: text });
    }
  }
  return { raw, issues };
}

function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ?? {}) as Record<string, unknown>;
  target[head] = child;
  setPath(child, rest, value);
}

function pathIndex(issue: z.core.$ZodIssue): number {
  const at = issue.path.join('.');
  const index = PATHS.findIndex((path) => at === path || at.startsWith(`${path}.`));
  return index === -1 ? PATHS.length : index;
}

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
  const { raw, issues } = decodeEnvironment(env);
  // Read once per container: the schema's own checks, without zod's parsing code, which would run
  // cold here; zod parses only a configuration the quick read is unsure of, to word the failure.
  const accepted = issues.length === 0 ? quickAccept(RuntimeConfigSchema, raw) : undefined;
  if (accepted) return accepted.value as RuntimeConfig;
  // zod's JIT would compile a fast path for this object (a few ms) that is never used again.
  const parsed = RuntimeConfigSchema.safeParse(raw, { jitless: true });
  if (parsed.success && issues.length === 0) return parsed.data;
  const all = [...issues, ...(parsed.error?.issues ?? [])].sort((a, b) => pathIndex(a) - pathIndex(b));
  throw new Error(formatConfigError({ issues: all }, VARIABLE_OF));
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
  for (const [path, [name]] of Object.entries(RUNTIME_ENV)) {
    if (path === 'region') continue; // Lambda sets AWS_REGION itself.
    const value = path
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
    if (value !== undefined) environment[name] = encodeValue(value);
  }
  return environment;
}

export type { PipelineSettings, RuntimeConfig, RuntimeConfigInput, RuntimeSettingKey };
export { loadRuntimeConfig, RUNTIME_ENV, RUNTIME_SETTING_KEYS, RuntimeConfigSchema, toLambdaEnvironment };
