import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { quickAccept } from '#shared/config/quick-accept.ts';
import { RuntimeConfigSchema } from '#shared/config/runtime-config.ts';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/eventpipe-retry';

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
);

const url = fc.constantFrom(
  QUEUE,
  'http://127.0.0.1:9324/000000000000/q',
  ` ${QUEUE} `,
  `${QUEUE}\n`,
  'https://user:secret@hooks.example.com/x',
  'ftp://hooks.example.com/x',
  'http:hooks.example.com',
  'not a url',
  '',
);
const integer = fc.oneof(fc.integer({ min: -2, max: 5_000 }), fc.constantFrom(0.5, 1e9, 262_144, 3_600));
const routes = fc.oneof(
  fc.dictionary(fc.constantFrom('order.placed', 'payment.captured', '', 'constructor'), url, { maxKeys: 3 }),
  fc.constant(JSON.parse('{"__proto__":"https://hooks.example.com/x"}') as unknown),
  anyValue,
);

/** Raw configurations as `decodeEnvironment` produces them: each field valid, invalid or absent. */
const rawConfig = fc.record(
  {
    retryQueueUrl: fc.oneof(url, anyValue),
    dlqUrl: fc.oneof(url, anyValue),
    dlqTarget: fc.oneof(fc.constantFrom('sqs', 'kafka', 'both', 'SQS'), anyValue),
    dlqTopic: fc.oneof(fc.constantFrom('orders.dlq', '.dlq', 'a b'), anyValue),
    kafkaBrokers: fc.oneof(
      fc.array(fc.constantFrom('b-1:9092', 'localhost:9092', 'no-port', 'a:123456', ''), { maxLength: 3 }),
      anyValue,
    ),
    mskClusterArn: fc.oneof(fc.constantFrom('arn:aws:kafka:eu-west-1:1:cluster/x', 'cluster'), anyValue),
    kafkaAuth: fc.oneof(fc.constantFrom('none', 'iam', 'scram', 'plain'), anyValue),
    kafkaSecretArn: fc.oneof(fc.constantFrom('arn:aws:secretsmanager:eu-west-1:1:secret:x', 'x'), anyValue),
    maxAttempts: fc.oneof(integer, anyValue),
    backoffBaseSeconds: fc.oneof(integer, anyValue),
    backoffCapSeconds: fc.oneof(integer, anyValue),
    recordConcurrency: fc.oneof(integer, anyValue),
    deadlineMarginMs: fc.oneof(integer, anyValue),
    maxRedrives: fc.oneof(integer, anyValue),
    routes,
    httpTimeoutMs: fc.oneof(integer, anyValue),
    circuitBreaker: fc.oneof(
      fc.record({ failureThreshold: fc.oneof(integer, anyValue), openSeconds: fc.oneof(integer, anyValue) }),
      fc.record({ failureThreshold: integer }, { requiredKeys: [] }),
      anyValue,
    ),
    maxMessageBytes: fc.oneof(integer, anyValue),
    maxRecordBytes: fc.oneof(integer, anyValue),
    sqsEndpoint: fc.oneof(url, anyValue),
    region: fc.oneof(fc.constantFrom('eu-west-1', ''), anyValue),
    serviceName: fc.oneof(fc.constantFrom('eventpipe', ''), anyValue),
    metricsNamespace: fc.oneof(fc.constantFrom('EventPipe', ''), anyValue),
    logLevel: fc.oneof(fc.constantFrom('DEBUG', 'INFO', 'SILENT', 'info'), anyValue),
  },
  { requiredKeys: [] },
);

/** The deployed configuration with up to three fields replaced (valid, invalid or removed). */
const nearDeployed = rawConfig.chain((raw) =>
  fc
    .shuffledSubarray(Object.entries(raw), { maxLength: 3 })
    .map((fields) => ({ ...deployed, ...Object.fromEntries(fields) })),
);

describe('quickAccept', () => {
  it('reads the deployed configuration without zod, to the value zod returns', () => {
    const accepted = quickAccept(RuntimeConfigSchema, deployed);
    expect(accepted).toBeDefined();
    expect(accepted?.value).toStrictEqual(RuntimeConfigSchema.parse(deployed));
  });

  it('never accepts a configuration RuntimeConfigSchema refuses, and returns what it would return', () => {
    fc.assert(
      fc.property(fc.oneof(nearDeployed, rawConfig), (raw) => {
        const accepted = quickAccept(RuntimeConfigSchema, raw);
        if (accepted === undefined) return; // the caller asks zod
        const parsed = RuntimeConfigSchema.safeParse(raw);
        expect(parsed.success).toBe(true);
        expect(accepted.value).toStrictEqual(parsed.data);
      }),
      { numRuns: 2_000 },
    );
  }, 30_000);

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
        mskClusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/eventpipe/1',
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
    const accepted = quickAccept(RuntimeConfigSchema, raw);
    expect(accepted).toBeDefined();
    expect(accepted?.value).toStrictEqual(RuntimeConfigSchema.parse(raw));
  });

  it('is unsure of kinds it does not know, and of failed refinements', () => {
    const piped = z.pipe(
      z.string(),
      z.transform((text: string) => text.length),
    );
    expect(quickAccept(piped, 'abc')).toBeUndefined();
    expect(quickAccept(z.string().check(z.refine((text) => text !== 'x')), 'x')).toBeUndefined();
    expect(quickAccept(z.string().check(z.refine((text) => text !== 'x')), 'y')).toEqual({ value: 'y' });
  });
});
