import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { integer, objectOf, recordOf } from '#shared/config/field-kinds.ts';
import { type FieldRule, fieldRule, schemasOf, UNSURE } from '#shared/config/field-rule.ts';
import { IngestConfigRule } from '#shared/config/ingest-config.ts';
import { KAFKA_CONNECTION_RULES } from '#shared/config/kafka-connection-config.ts';
import {
  INGEST_LIMIT_RULES,
  KafkaTopicNameRule,
  PIPELINE_SETTING_FIELDS,
  PIPELINE_SETTING_RULES,
} from '#shared/config/pipeline-settings.ts';
import { RouteUrlRule } from '#shared/config/route-url.ts';
import { RuntimeConfigRule } from '#shared/config/runtime-config.ts';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/eventpipe-retry';
const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/eventpipe/1';

/** A deployed configuration as `loadRuntimeConfig` decodes it from the environment. */
const deployed = {
  retryQueueUrl: QUEUE,
  dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/eventpipe-dlq',
  dlqTarget: 'sqs',
  maxAttempts: 8,
  backoffCapSeconds: 900,
  routes: { 'order.placed': 'https://hooks.example.com/orders' },
  circuitBreaker: { failureThreshold: 3 },
  maxMessageBytes: 262_144,
  region: 'eu-west-1',
  logLevel: 'WARN',
};

/** A deployed ingest configuration as `loadIngestConfig` decodes it. */
const deployedIngest = {
  topic: 'orders',
  mskClusterArn: CLUSTER_ARN,
  kafkaAuth: 'iam',
  maxBatchEvents: 50,
  produceTimeoutMs: 3_000,
  maxRecordBytes: 262_144,
  region: 'eu-west-1',
  serviceName: 'eventpipe',
};

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constant(Number.NaN),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant(new Date(0)),
);

const url = fc.constantFrom(
  QUEUE,
  'http://127.0.0.1:9324/000000000000/q',
  'HTTPS://hooks.example.com/x',
  ` ${QUEUE} `,
  `${QUEUE}\n`,
  'https://hooks.exa\tmple.com/x',
  'https://user:secret@hooks.example.com/x',
  'https://user@hooks.example.com/x',
  'ftp://hooks.example.com/x',
  'mailto:ops@example.com',
  'http:hooks.example.com',
  'https:/hooks.example.com',
  'not a url',
  '',
);
const integers = fc.oneof(
  fc.integer({ min: -2, max: 5_000 }),
  fc.constantFrom(-0, 0.5, 1e9, 262_144, 3_600, 120_000, 120_001, 1_048_577, 6_291_457, 29_001, Infinity),
);
const text = fc.oneof(fc.constantFrom('eventpipe', 'eu-west-1', ''), anyValue);
const topic = fc.oneof(
  fc.constantFrom('orders', 'orders.dlq', '.dlq', 'a', 'a b', 'x'.repeat(250)),
  anyValue,
);
const routes = fc.oneof(
  fc.dictionary(fc.constantFrom('order.placed', 'payment.captured', '', 'constructor'), url, { maxKeys: 3 }),
  fc.constant(JSON.parse('{"__proto__":"https://hooks.example.com/x"}') as unknown),
  fc.constant(Object.assign(Object.create(null) as object, { 'order.placed': QUEUE })),
  fc.constant(Object.defineProperty({}, 'order.placed', { value: QUEUE, enumerable: false })),
  fc.constant({ [Symbol('route')]: QUEUE }),
  anyValue,
);
const kafkaConnection = {
  kafkaBrokers: fc.oneof(
    fc.array(fc.constantFrom('b-1:9092', 'localhost:9092', 'no-port', 'a:123456', '', ' b:1'), {
      maxLength: 3,
    }),
    fc.constant([undefined, 'b-1:9092']),
    anyValue,
  ),
  mskClusterArn: fc.oneof(fc.constantFrom(CLUSTER_ARN, 'cluster', 'ARN:x'), anyValue),
  kafkaAuth: fc.oneof(fc.constantFrom('none', 'iam', 'scram', 'plain'), anyValue),
  kafkaSecretArn: fc.oneof(fc.constantFrom('arn:aws:secretsmanager:eu-west-1:1:secret:x', 'x'), anyValue),
};

/** Each field's values as `decodeEnvironment` produces them (and odder ones): valid, invalid or absent. */
const runtimeFields = {
  retryQueueUrl: fc.oneof(url, anyValue),
  dlqUrl: fc.oneof(url, anyValue),
  dlqTarget: fc.oneof(fc.constantFrom('sqs', 'kafka', 'both', 'SQS'), anyValue),
  dlqTopic: topic,
  ...kafkaConnection,
  maxAttempts: fc.oneof(integers, anyValue),
  backoffBaseSeconds: fc.oneof(integers, anyValue),
  backoffCapSeconds: fc.oneof(integers, anyValue),
  recordConcurrency: fc.oneof(integers, anyValue),
  deadlineMarginMs: fc.oneof(integers, anyValue),
  maxRedrives: fc.oneof(integers, anyValue),
  routes,
  httpTimeoutMs: fc.oneof(integers, anyValue),
  circuitBreaker: fc.oneof(
    fc.record({ failureThreshold: fc.oneof(integers, anyValue), openSeconds: fc.oneof(integers, anyValue) }),
    fc.record({ failureThreshold: integers }, { requiredKeys: [] }),
    anyValue,
  ),
  maxMessageBytes: fc.oneof(integers, anyValue),
  maxRecordBytes: fc.oneof(integers, anyValue),
  sqsEndpoint: fc.oneof(url, anyValue),
  region: text,
  serviceName: text,
  metricsNamespace: text,
  logLevel: fc.oneof(fc.constantFrom('DEBUG', 'INFO', 'SILENT', 'info'), anyValue),
};

const ingestFields = {
  topic,
  ...kafkaConnection,
  maxBodyBytes: fc.oneof(integers, anyValue),
  maxBatchEvents: fc.oneof(integers, anyValue),
  produceTimeoutMs: fc.oneof(integers, anyValue),
  retryAfterSeconds: fc.oneof(integers, anyValue),
  maxRecordBytes: fc.oneof(integers, anyValue),
  region: text,
  serviceName: text,
  metricsNamespace: text,
  logLevel: fc.oneof(fc.constantFrom('DEBUG', 'ERROR', 'info'), anyValue),
};

const rawConfig = fc.record(runtimeFields, { requiredKeys: [] });
const rawIngestConfig = fc.record(ingestFields, { requiredKeys: [] });

/** `base` with up to three fields replaced (valid, invalid or removed) from an arbitrary configuration. */
function near(base: object, arbitrary: fc.Arbitrary<Record<string, unknown>>) {
  return arbitrary.chain((raw) =>
    fc
      .shuffledSubarray(Object.entries(raw), { maxLength: 3 })
      .map((fields) => ({ ...base, ...Object.fromEntries(fields) })),
  );
}

/**
 * What the plain read may leave to zod although zod accepts it: text zod trims or strips of tabs
 * and line breaks, a key zod drops or skips (`__proto__`, symbols, non-enumerable), an object that
 * is not an object literal.
 */
function isOrdinary(value: unknown): boolean {
  if (typeof value === 'string') return value === value.trim() && !/[\t\n\r]/.test(value);
  if (Array.isArray(value)) return value.every((item) => isOrdinary(item));
  if (typeof value !== 'object' || value === null) return true;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Reflect.ownKeys(value);
  if (keys.length !== Object.keys(value).length || Object.hasOwn(value, '__proto__')) return false;
  return Object.values(value).every((item) => isOrdinary(item));
}

const cases = [
  { name: 'runtime', rule: RuntimeConfigRule, base: deployed, arbitrary: rawConfig },
  { name: 'ingest', rule: IngestConfigRule, base: deployedIngest, arbitrary: rawIngestConfig },
] as const;

describe.each(cases)('the plain read of the $name configuration', ({ rule, base, arbitrary }) => {
  it('reads the deployed configuration to the value zod returns', () => {
    // Act
    const value = rule.read(base);
    // Assess
    expect(value).not.toBe(UNSURE);
    expect(value).toStrictEqual(rule.schema.parse(base));
  });

  it('never accepts what the schema refuses, and returns what the schema returns', () => {
    fc.assert(
      fc.property(fc.oneof(near(base, arbitrary), arbitrary), (raw) => {
        const value = rule.read(raw);
        if (value === UNSURE) return; // the caller asks zod
        const parsed = rule.schema.safeParse(raw);
        expect(parsed.success).toBe(true);
        expect(value).toStrictEqual(parsed.data);
      }),
      { numRuns: 2_000 },
    );
  }, 30_000);

  it('accepts every ordinary configuration the schema accepts (unsure only of what zod rewrites)', () => {
    fc.assert(
      fc.property(fc.oneof(near(base, arbitrary), arbitrary), (raw) => {
        if (!isOrdinary(raw) || !rule.schema.safeParse(raw).success) return;
        expect(rule.read(raw)).not.toBe(UNSURE);
      }),
      { numRuns: 2_000 },
    );
  }, 30_000);
});

/** Every field rule the configurations are made of, with the values to try. */
const fieldCases = [
  ...Object.entries(PIPELINE_SETTING_RULES).map(([key, rule]) => ({
    key,
    rule,
    values: runtimeFields[key as keyof typeof runtimeFields],
  })),
  ...Object.entries(KAFKA_CONNECTION_RULES).map(([key, rule]) => ({
    key,
    rule,
    values: runtimeFields[key as keyof typeof runtimeFields],
  })),
  ...Object.entries(INGEST_LIMIT_RULES).map(([key, rule]) => ({
    key,
    rule,
    values: ingestFields[key as keyof typeof ingestFields],
  })),
  { key: 'a route', rule: RouteUrlRule as FieldRule<z.ZodMiniType>, values: fc.oneof(url, anyValue) },
  { key: 'a topic', rule: KafkaTopicNameRule as FieldRule<z.ZodMiniType>, values: topic },
];

describe.each(fieldCases)('the plain read of $key', ({ rule, values }) => {
  it('never accepts what the schema refuses, returns what it returns, and accepts what is ordinary', () => {
    fc.assert(
      fc.property(values, (raw) => {
        const value = rule.read(raw);
        const parsed = rule.schema.safeParse(raw);
        if (value !== UNSURE) {
          expect(parsed.success).toBe(true);
          expect(value).toStrictEqual(parsed.data);
        } else if (isOrdinary(raw)) {
          expect(parsed.success).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the plain read of the runtime configuration', () => {
  it.each([
    ['the least the functions need', { retryQueueUrl: QUEUE, dlqUrl: QUEUE, region: 'eu-west-1' }],
    [
      'a Kafka DLQ on MSK with IAM',
      {
        ...deployed,
        dlqTarget: 'kafka',
        dlqUrl: undefined,
        dlqTopic: 'orders.dlq',
        kafkaBrokers: ['b-1:9098', 'b-2:9098'],
        mskClusterArn: CLUSTER_ARN,
        kafkaAuth: 'iam',
      },
    ],
    [
      'the local runtime (http endpoints, several routes, part of the breaker)',
      {
        ...deployed,
        sqsEndpoint: 'http://127.0.0.1:9324',
        routes: { 'order.placed': 'http://127.0.0.1:8080/orders', 'payment.captured': 'https://x.example/p' },
        circuitBreaker: { failureThreshold: 0 },
        logLevel: 'SILENT',
      },
    ],
  ])('reads %s itself, to the value zod returns', (_name, raw) => {
    // Act
    const value = RuntimeConfigRule.read(raw);
    // Assess
    expect(value).not.toBe(UNSURE);
    expect(value).toStrictEqual(RuntimeConfigRule.schema.parse(raw));
  });

  it('is unsure of a conflict between fields, which the schema words', () => {
    // Prepare
    const raw = { ...deployed, backoffBaseSeconds: 60, backoffCapSeconds: 30 };
    // Act / Assess
    expect(RuntimeConfigRule.read(raw)).toBe(UNSURE);
    expect(RuntimeConfigRule.schema.safeParse(raw).error?.issues).toMatchObject([
      { path: ['backoffCapSeconds'], message: 'must be at least backoffBaseSeconds' },
    ]);
  });

  it('returns a fresh default each time (a caller may not change another one)', () => {
    // Act
    const first = RuntimeConfigRule.read({ ...deployed, routes: undefined });
    const second = RuntimeConfigRule.read({ ...deployed, routes: undefined });
    // Assess
    expect(first).not.toBe(UNSURE);
    expect(second).not.toBe(UNSURE);
    if (first === UNSURE || second === UNSURE) return;
    expect(first.routes).toEqual({});
    expect(first.routes).not.toBe(second.routes);
  });
});

describe('field rules', () => {
  it('build their schema once, on first use, and hand out the same object', () => {
    // Prepare
    let built = 0;
    const rule = fieldRule(
      () => {
        built += 1;
        return z.string();
      },
      (input) => (typeof input === 'string' ? input : UNSURE),
    );
    const fields = schemasOf({ name: rule });
    // Act / Assess
    expect(Object.keys(fields)).toEqual(['name']);
    expect(rule.read('x')).toBe('x');
    expect(built).toBe(0);
    expect(fields.name.parse('x')).toBe('x');
    expect(fields.name).toBe(rule.schema);
    expect(built).toBe(1);
  });

  it('leave to zod a record key it drops (`__proto__`), whose value would replace the prototype', () => {
    // Prepare
    const rule = recordOf(objectOf({ limit: integer(1, 10, 5) }));
    const raw = JSON.parse('{"__proto__":{"limit":3},"a":{}}') as unknown;
    // Act / Assess
    expect(rule.read(raw)).toBe(UNSURE);
    expect(rule.schema.parse(raw)).toStrictEqual({ a: { limit: 5 } });
  });

  it('give the deployment settings and the functions the same field schemas', () => {
    expect(PIPELINE_SETTING_FIELDS.maxAttempts).toBe(PIPELINE_SETTING_RULES.maxAttempts.schema);
    expect(RuntimeConfigRule.schema.shape.routes).toBe(PIPELINE_SETTING_FIELDS.routes);
    expect(IngestConfigRule.schema.shape.maxRecordBytes).toBe(PIPELINE_SETTING_FIELDS.maxRecordBytes);
  });
});
