import * as z from 'zod';
import { DlqTarget } from '../pipeline/constants.ts';
import {
  ESM_METRIC_GROUPS,
  HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS,
  KAFKA_MAX_BATCH_SIZE,
  KAFKA_MAX_BATCHING_WINDOW_SECONDS,
  KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS,
  KAFKA_TOPIC_MAX_LENGTH,
  SQS_ESM_MAX_MAX_CONCURRENCY,
  SQS_ESM_MIN_MAX_CONCURRENCY,
  SQS_MAX_VISIBILITY_SECONDS,
  SQS_VISIBILITY_TO_TIMEOUT_RATIO,
} from './limits.ts';
import {
  checkBackoff,
  DEFAULT_DLQ_TOPIC_SUFFIX,
  INGEST_LIMIT_FIELDS,
  KafkaTopicNameRule,
  kafkaDlqTopic,
  PIPELINE_SETTING_FIELDS,
} from './pipeline-settings.ts';

/** Lambda's limit for any function (the Kafka consumer's is lower: {@link KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS}). */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;
/** https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-configure.html (ProvisionedPollerConfig) */
const MAX_MINIMUM_POLLERS = 200;
const MAX_MAXIMUM_POLLERS = 2_000;
/** https://docs.aws.amazon.com/lambda/latest/dg/kafka-retry-configurations.html */
const MAX_ESM_RETRY_ATTEMPTS = 10_000;
const MIN_RECORD_AGE_SECONDS = 60;
const MAX_RECORD_AGE_SECONDS = 604_800;

const ArnSchema = z
  .string()
  .regex(/^arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/, 'expected an ARN');

/**
 * Network placement for self-managed Kafka (ESM pollers) or for functions that must reach brokers.
 * Ids in the formats CloudFormation validates (`AWS::EC2::VPC.Id`, `Subnet.Id`, `SecurityGroup.Id`,
 * `AvailabilityZone.Name`: CDK's template validation reports anything else).
 * CDK imports it without lookups (`Vpc.fromVpcAttributes`), which needs as many subnets per zone in
 * every zone: a subnet count that is not a multiple of the zone count fails synth.
 */
const VpcPlacementSchema = z
  .object({
    vpcId: z.string().regex(/^vpc-[a-f0-9]{8,17}$/, 'a VPC id: vpc- and 8 to 17 hex digits'),
    subnetIds: z
      .array(z.string().regex(/^subnet-[a-f0-9]{8,17}$/, 'a subnet id: subnet- and 8 to 17 hex digits'))
      .min(1),
    availabilityZones: z
      .array(
        z
          .string()
          .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d[a-z]$/, 'an availability zone name, e.g. eu-west-1a'),
      )
      .min(1),
    securityGroupId: z
      .string()
      .regex(/^sg-[a-f0-9]{8,17}$/, 'a security group id: sg- and 8 to 17 hex digits'),
  })
  .refine((p) => p.subnetIds.length % p.availabilityZones.length === 0, {
    path: ['subnetIds'],
    message: 'give the same number of subnets in each of the availabilityZones (a multiple of their count)',
  });

const MskSourceSchema = z.object({
  kind: z.literal('msk'),
  clusterArn: ArnSchema,
  /** IAM (SASL/OAUTHBEARER) or SASL/SCRAM-512 with a Secrets Manager secret. */
  auth: z.enum(['iam', 'scram']).default('iam'),
  secretArn: ArnSchema.optional(),
});

const SelfManagedSourceSchema = z.object({
  kind: z.literal('self-managed'),
  bootstrapServers: z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')).min(1),
  auth: z.enum(['none', 'sasl-scram-512', 'sasl-scram-256', 'sasl-plain']).default('sasl-scram-512'),
  secretArn: ArnSchema.optional(),
  vpc: VpcPlacementSchema.optional(),
});

/**
 * Who may call the front door: IAM (SigV4-signed requests, `execute-api:Invoke` on the route) or
 * a JWT authorizer (the token's issuer and audience checked by API Gateway).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html
 */
const IngestAuthorizerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('iam') }),
  z.object({
    kind: z.literal('jwt'),
    /** The `iss` claim, an https URL whose `/.well-known/openid-configuration` API Gateway reads. */
    issuer: z.url({ protocol: /^https$/, error: 'an https URL' }),
    /** Accepted `aud` (or `client_id`) values. */
    audience: z.array(z.string().min(1)).min(1),
  }),
]);

/**
 * The HTTP front door (`POST /events` on an API Gateway HTTP API → the ingest function → the
 * source topic). Off by default. Admission control is the stage's throttling (excess requests get
 * 429 from API Gateway) bounded by the function's reserved concurrency: a request the stage admits
 * but Lambda throttles gets 500 from API Gateway, not 429
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html), so the burst may
 * not exceed the reserved concurrency.
 *
 * ```json
 * { "enabled": true, "throttling": { "rateLimit": 100, "burstLimit": 10 }, "reservedConcurrency": 10,
 *   "maxBodyBytes": 1048576, "maxBatchEvents": 100, "authorizer": { "kind": "iam" } }
 * ```
 */
const IngestSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The stage's default route throttling: steady requests per second, and the burst bucket. */
    throttling: z
      .object({
        rateLimit: z.number().min(1).max(10_000).default(100),
        burstLimit: z.number().int().min(1).max(5_000).default(10),
      })
      .prefault({}),
    reservedConcurrency: z.number().int().min(1).max(1_000).default(10),
    timeoutSeconds: z.number().int().min(1).max(HTTP_API_MAX_INTEGRATION_TIMEOUT_SECONDS).default(10),
    memoryMb: z.number().int().min(128).max(10_240).default(512),
    ...INGEST_LIMIT_FIELDS,
    authorizer: IngestAuthorizerSchema.default({ kind: 'iam' }),
    /** The function's network placement. @default functionVpc, else a self-managed source's vpc */
    vpc: VpcPlacementSchema.optional(),
  })
  .prefault({});

const OnFailureSchema = z.discriminatedUnion('kind', [
  /** A topic in the same cluster: the ESM writes the failed batch's records there. */
  z.object({ kind: z.literal('kafka'), topic: KafkaTopicNameRule.schema }),
  /** A bucket the stack creates (encrypted, private, TLS only). */
  z.object({ kind: z.literal('s3') }),
]);

/**
 * How the system is deployed: the `eventpipe` context of `cdk.json`, validated as a whole. The CDK
 * stack builds from it, writes the functions' environment from it, and the local emulators take
 * their batch size, window, concurrency and retry settings from it, so a local run behaves like
 * the deployment.
 *
 * ```json
 * { "source": { "kind": "msk", "clusterArn": "arn:aws:kafka:eu-west-1:123456789012:cluster/orders/…", "auth": "iam" },
 *   "topic": "orders", "consumerGroupId": "eventpipe-orders", "batchSize": 500, "reservedConcurrency": 10 }
 * ```
 */
const DeploymentFieldsSchema = z.object({
  source: z.discriminatedUnion('kind', [MskSourceSchema, SelfManagedSourceSchema]),
  topic: KafkaTopicNameRule.schema,
  /** CloudFormation allows 1–200 of `[a-zA-Z0-9-/*:_+=.@-]`; we keep to the characters Kafka tools quote least. */
  consumerGroupId: z
    .string()
    .regex(
      /^[a-zA-Z0-9._:-]{1,200}$/,
      'a Kafka consumer group id: 1–200 characters from a-z A-Z 0-9 . _ : -',
    ),
  startingPosition: z.enum(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']).default('TRIM_HORIZON'),
  /** Epoch seconds, for AT_TIMESTAMP. */
  startingPositionTimestamp: z.number().int().positive().optional(),
  batchSize: z.number().int().min(1).max(KAFKA_MAX_BATCH_SIZE).default(100),
  /** Whole seconds (CloudFormation's unit); unset, Lambda waits 500 ms for a Kafka batch to fill. */
  maxBatchingWindowSeconds: z.number().int().min(0).max(KAFKA_MAX_BATCHING_WINDOW_SECONDS).optional(),
  /** The worker pool: at most this many batches in flight. */
  reservedConcurrency: z.number().int().min(1).max(1_000).default(10),
  provisionedPollers: z
    .object({
      min: z.number().int().min(1).max(MAX_MINIMUM_POLLERS),
      max: z.number().int().min(1).max(MAX_MAXIMUM_POLLERS),
    })
    .optional(),
  /**
   * The mapping's own metrics (`MetricsConfig`) and poller log level (`LogLevel`); provisioned
   * mode only (aws-cdk-lib aws-lambda-event-sources README, "Kafka Observability Features").
   * Unset with provisioned pollers: every metric group; on demand: none (`OffsetLag` is reported
   * in both modes).
   */
  esmMetrics: z.array(z.enum(ESM_METRIC_GROUPS)).min(1).optional(),
  esmLogLevel: z.enum(['DEBUG', 'INFO', 'WARN']).optional(),
  /** The ESM's own safety net for batches that crash the function; provisioned mode only. */
  errorControls: z
    .object({
      retryAttempts: z.number().int().min(-1).max(MAX_ESM_RETRY_ATTEMPTS).default(3),
      bisectBatchOnError: z.boolean().default(true),
      maxRecordAgeSeconds: z
        .union([z.literal(-1), z.number().int().min(MIN_RECORD_AGE_SECONDS).max(MAX_RECORD_AGE_SECONDS)])
        .optional(),
      onFailure: OnFailureSchema,
    })
    .optional(),
  consumer: z
    .object({
      timeoutSeconds: z.number().int().min(1).max(LAMBDA_MAX_TIMEOUT_SECONDS).default(60),
      memoryMb: z.number().int().min(128).max(10_240).default(1_024),
    })
    .prefault({}),
  retryWorker: z
    .object({
      timeoutSeconds: z.number().int().min(1).max(LAMBDA_MAX_TIMEOUT_SECONDS).default(60),
      memoryMb: z.number().int().min(128).max(10_240).default(512),
      /** SQS ESM MaximumConcurrency: the retry worker pool. */
      concurrency: z
        .number()
        .int()
        .min(SQS_ESM_MIN_MAX_CONCURRENCY)
        .max(SQS_ESM_MAX_MAX_CONCURRENCY)
        .default(5),
      batchSize: z.number().int().min(1).max(10).default(10),
    })
    .prefault({}),
  /** Defaults to 6 × the retry worker's timeout. */
  retryQueueVisibilitySeconds: z.number().int().min(0).max(SQS_MAX_VISIBILITY_SECONDS).optional(),
  recordConcurrency: PIPELINE_SETTING_FIELDS.recordConcurrency,
  maxAttempts: PIPELINE_SETTING_FIELDS.maxAttempts,
  backoffBaseSeconds: PIPELINE_SETTING_FIELDS.backoffBaseSeconds,
  backoffCapSeconds: PIPELINE_SETTING_FIELDS.backoffCapSeconds,
  maxRedrives: PIPELINE_SETTING_FIELDS.maxRedrives,
  deadlineMarginMs: PIPELINE_SETTING_FIELDS.deadlineMarginMs,
  httpTimeoutMs: PIPELINE_SETTING_FIELDS.httpTimeoutMs,
  maxRecordBytes: PIPELINE_SETTING_FIELDS.maxRecordBytes,
  circuitBreaker: PIPELINE_SETTING_FIELDS.circuitBreaker,
  dlqTarget: PIPELINE_SETTING_FIELDS.dlqTarget,
  dlqTopic: PIPELINE_SETTING_FIELDS.dlqTopic,
  /** Functions placed in a VPC (needed when they produce to a Kafka DLQ topic). */
  functionVpc: VpcPlacementSchema.optional(),
  routes: PIPELINE_SETTING_FIELDS.routes,
  alarms: z
    .object({
      offsetLagThreshold: z.number().int().min(1).default(10_000),
      errorRatePercent: z.number().min(0).max(100).default(5),
      throttleThreshold: z.number().int().min(1).default(1),
      dlqThreshold: z.number().int().min(1).default(1),
      notificationEmail: z.email().optional(),
    })
    .prefault({}),
  ingest: IngestSchema,
  logLevel: PIPELINE_SETTING_FIELDS.logLevel,
  serviceName: PIPELINE_SETTING_FIELDS.serviceName,
  metricsNamespace: PIPELINE_SETTING_FIELDS.metricsNamespace,
});

/**
 * {@link DeploymentFieldsSchema} with the rules that span fields. The functions' environment schema
 * (`runtime-config.ts`) shares the fields the functions read (`PIPELINE_SETTING_FIELDS`).
 */
const DeploymentSettingsSchema = DeploymentFieldsSchema.superRefine(checkCombinations);

type DeploymentSettings = z.infer<typeof DeploymentSettingsSchema>;
type DeploymentSettingsInput = z.input<typeof DeploymentSettingsSchema>;

/** Rules that span fields; each adds its own issue so that every conflict is reported at once. */
function checkCombinations(s: z.infer<typeof DeploymentFieldsSchema>, ctx: z.RefinementCtx): void {
  const fail = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  checkBackoff(s, ctx);
  if (s.errorControls && !s.provisionedPollers) {
    fail(
      ['errorControls'],
      'ESM error controls (retries, bisect, on-failure destination) need provisioned mode: set provisionedPollers',
    );
  }
  if ((s.esmMetrics || s.esmLogLevel) && !s.provisionedPollers) {
    fail(
      [s.esmMetrics ? 'esmMetrics' : 'esmLogLevel'],
      'ESM metrics and log level (MetricsConfig, LogLevel) need provisioned mode: set provisionedPollers',
    );
  }
  if (s.provisionedPollers && s.provisionedPollers.min > s.provisionedPollers.max) {
    fail(['provisionedPollers'], 'min must not exceed max');
  }
  // Without SASL the mapping reaches the brokers only through a VPC; CDK refuses neither (its
  // SelfManagedKafkaEventSource throws when it gets no secret and no vpc).
  if (s.source.kind === 'self-managed' && s.source.auth === 'none' && !s.source.vpc) {
    fail(['source', 'vpc'], 'required with auth "none": without SASL the brokers are reached through a VPC');
  }
  if (s.source.kind === 'self-managed' && s.source.auth !== 'none' && !s.source.secretArn) {
    fail(['source', 'secretArn'], `required for ${s.source.auth} authentication`);
  }
  if (s.source.kind === 'msk' && s.source.auth === 'scram' && !s.source.secretArn) {
    fail(['source', 'secretArn'], 'required for SASL/SCRAM authentication on MSK');
  }
  // https://docs.aws.amazon.com/msk/latest/developerguide/msk-password.html
  if (
    s.source.kind === 'msk' &&
    s.source.auth === 'scram' &&
    s.source.secretArn &&
    !/:secret:AmazonMSK_/.test(s.source.secretArn)
  ) {
    fail(['source', 'secretArn'], "an MSK SCRAM secret's name must start with AmazonMSK_");
  }
  if (s.consumer.timeoutSeconds > KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS) {
    fail(
      ['consumer', 'timeoutSeconds'],
      `a Kafka-triggered function may run at most ${KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS} s (14 minutes)`,
    );
  }
  // Both functions stop starting work when less than the margin is left: a margin as long as the
  // timeout would leave no time at all, and every message would be deferred until SQS's redrive
  // policy moved it to the DLQ unprocessed.
  if (s.deadlineMarginMs >= s.consumer.timeoutSeconds * 1_000) {
    fail(['deadlineMarginMs'], 'must be shorter than the consumer timeout');
  }
  if (s.deadlineMarginMs >= s.retryWorker.timeoutSeconds * 1_000) {
    fail(['deadlineMarginMs'], 'must be shorter than the retry worker timeout');
  }
  const minimumVisibility = SQS_VISIBILITY_TO_TIMEOUT_RATIO * s.retryWorker.timeoutSeconds;
  if (s.retryQueueVisibilitySeconds !== undefined && s.retryQueueVisibilitySeconds < minimumVisibility) {
    fail(
      ['retryQueueVisibilitySeconds'],
      `must be at least 6 × the retry worker timeout (${minimumVisibility} s)`,
    );
  }
  if (minimumVisibility > SQS_MAX_VISIBILITY_SECONDS)
    fail(['retryWorker', 'timeoutSeconds'], 'too long for the retry queue visibility');
  if (s.startingPosition === 'AT_TIMESTAMP' && s.startingPositionTimestamp === undefined) {
    fail(['startingPositionTimestamp'], 'required when startingPosition is AT_TIMESTAMP');
  }
  if (s.startingPosition !== 'AT_TIMESTAMP' && s.startingPositionTimestamp !== undefined) {
    fail(['startingPositionTimestamp'], 'only with startingPosition AT_TIMESTAMP');
  }
  if (
    s.dlqTarget !== DlqTarget.SQS &&
    s.source.kind === 'self-managed' &&
    !['none', 'sasl-scram-512'].includes(s.source.auth)
  ) {
    fail(
      ['dlqTarget'],
      `a Kafka DLQ topic supports self-managed auth "none" or "sasl-scram-512", not "${s.source.auth}"`,
    );
  }
  const onFailure = s.errorControls?.onFailure;
  if (onFailure?.kind === 'kafka' && onFailure.topic === s.topic) {
    // https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html (recursion prevention)
    fail(['errorControls', 'onFailure', 'topic'], 'must differ from the source topic (Lambda refuses it)');
  }
  if (s.dlqTarget !== DlqTarget.SQS) {
    const dlqTopic = kafkaDlqTopic(s);
    if (dlqTopic === s.topic) {
      fail(['dlqTopic'], 'must differ from the source topic (dead letters would be consumed again)');
    }
    if (dlqTopic.length > KAFKA_TOPIC_MAX_LENGTH) {
      fail(
        ['dlqTopic'],
        `the default "${DEFAULT_DLQ_TOPIC_SUFFIX}" name is longer than ${KAFKA_TOPIC_MAX_LENGTH} characters: set dlqTopic`,
      );
    }
  }
  checkIngest(s, fail);
  if (s.dlqTarget !== DlqTarget.SQS && s.source.kind === 'msk' && !s.functionVpc) {
    fail(['functionVpc'], 'a Kafka DLQ topic on MSK needs the functions in the cluster VPC: set functionVpc');
  }
}

/** The front door's rules: it produces to the source cluster, so it must reach it in time. */
function checkIngest(
  s: z.infer<typeof DeploymentFieldsSchema>,
  fail: (path: (string | number)[], message: string) => void,
): void {
  const { ingest } = s;
  if (!ingest.enabled) return;
  if (s.source.kind === 'msk' && !ingestVpc(s)) {
    fail(
      ['ingest', 'vpc'],
      'an enabled front door produces to MSK, reachable only inside the cluster VPC: set ingest.vpc (or functionVpc)',
    );
  }
  if (ingest.throttling.burstLimit > ingest.reservedConcurrency) {
    fail(
      ['ingest', 'throttling', 'burstLimit'],
      'must not exceed ingest.reservedConcurrency: API Gateway answers 500, not 429, for the requests of a burst that Lambda throttles',
    );
  }
  if (ingest.produceTimeoutMs >= ingest.timeoutSeconds * 1_000) {
    fail(
      ['ingest', 'produceTimeoutMs'],
      'must be shorter than ingest.timeoutSeconds (the function answers 503 before it times out)',
    );
  }
}

/**
 * Where the ingest function runs: `ingest.vpc`, else `functionVpc`, else a self-managed source's
 * `vpc` (the network its brokers are reached through).
 */
function ingestVpc(settings: Pick<DeploymentSettings, 'ingest' | 'functionVpc' | 'source'>) {
  return (
    settings.ingest.vpc ??
    settings.functionVpc ??
    (settings.source.kind === 'self-managed' ? settings.source.vpc : undefined)
  );
}

/**
 * Validates deployment settings, reporting every problem in one message with its path, so a bad
 * `cdk.json` fails `cdk synth` with the fix in plain sight.
 *
 * @example
 * ```ts
 * const settings = parseDeploymentSettings(app.node.tryGetContext('eventpipe'));
 * ```
 */
function parseDeploymentSettings(input: unknown): DeploymentSettings {
  const value = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
  const parsed = DeploymentSettingsSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`,
  );
  throw new Error(`invalid eventpipe settings: ${problems.join('; ')}`);
}

/** The retry queue's visibility timeout: configured, or 6 × the retry worker's timeout. */
function retryQueueVisibility(settings: DeploymentSettings): number {
  return (
    settings.retryQueueVisibilitySeconds ??
    SQS_VISIBILITY_TO_TIMEOUT_RATIO * settings.retryWorker.timeoutSeconds
  );
}

export type { DeploymentSettings, DeploymentSettingsInput };
export {
  DeploymentFieldsSchema,
  DeploymentSettingsSchema,
  ingestVpc,
  parseDeploymentSettings,
  retryQueueVisibility,
};
