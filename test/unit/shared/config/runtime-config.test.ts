import { describe, expect, it } from 'vitest';
import { DeploymentFieldsSchema, parseDeploymentSettings } from '#shared/config/deployment-settings.ts';
import { loadRuntimeConfig, RuntimeConfigRule, toLambdaEnvironment } from '#shared/config/runtime-config.ts';
import { runtimeFromDeployment } from '#shared/config/runtime-from-deployment.ts';

const minimal = {
  EVENTPIPE_RETRY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/eventpipe-retry',
  EVENTPIPE_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/eventpipe-dlq',
  AWS_REGION: 'eu-west-1',
};

describe('loadRuntimeConfig', () => {
  it('applies the defaults', () => {
    expect(loadRuntimeConfig(minimal)).toEqual({
      retryQueueUrl: minimal.EVENTPIPE_RETRY_QUEUE_URL,
      dlqUrl: minimal.EVENTPIPE_DLQ_URL,
      dlqTarget: 'sqs',
      kafkaAuth: 'none',
      maxAttempts: 5,
      backoffBaseSeconds: 10,
      backoffCapSeconds: 3_600,
      recordConcurrency: 10,
      deadlineMarginMs: 3_000,
      maxRedrives: 3,
      routes: {},
      httpTimeoutMs: 5_000,
      circuitBreaker: { failureThreshold: 5, openSeconds: 30 },
      maxMessageBytes: 1_048_576,
      maxRecordBytes: 1_048_576,
      region: 'eu-west-1',
      serviceName: 'eventpipe',
      metricsNamespace: 'EventPipe',
      logLevel: 'INFO',
    });
  });

  it('parses numbers, lists and the routes JSON', () => {
    const config = loadRuntimeConfig({
      ...minimal,
      EVENTPIPE_MAX_ATTEMPTS: '8',
      EVENTPIPE_KAFKA_BROKERS: 'b-1:9098, b-2:9098',
      EVENTPIPE_ROUTES: '{"order.placed":"https://hooks.example.com/orders"}',
    });
    expect(config.maxAttempts).toBe(8);
    expect(config.kafkaBrokers).toEqual(['b-1:9098', 'b-2:9098']);
    expect(config.routes).toEqual({ 'order.placed': 'https://hooks.example.com/orders' });
  });

  it('names every offending variable in one message', () => {
    expect(() =>
      loadRuntimeConfig({
        AWS_REGION: 'eu-west-1',
        EVENTPIPE_MAX_ATTEMPTS: '0',
        EVENTPIPE_ROUTES: '{not json',
        EVENTPIPE_DLQ_TARGET: 'sns',
      }),
    ).toThrow(
      /^invalid configuration: EVENTPIPE_RETRY_QUEUE_URL: .*; EVENTPIPE_DLQ_TARGET: .*; EVENTPIPE_MAX_ATTEMPTS: .*; EVENTPIPE_ROUTES: must be a JSON object/,
    );
  });

  it.each([
    [{ EVENTPIPE_DLQ_URL: '' }, /EVENTPIPE_DLQ_URL: required when the DLQ target is "sqs"/],
    [{ EVENTPIPE_KAFKA_AUTH: 'scram' }, /EVENTPIPE_KAFKA_SECRET_ARN: required for SASL\/SCRAM/],
    [
      { EVENTPIPE_BACKOFF_BASE_SECONDS: '60', EVENTPIPE_BACKOFF_CAP_SECONDS: '30' },
      /EVENTPIPE_BACKOFF_CAP_SECONDS: must be at least/,
    ],
    [{ EVENTPIPE_BACKOFF_CAP_SECONDS: '50000' }, /EVENTPIPE_BACKOFF_CAP_SECONDS: Too big/],
    [{ EVENTPIPE_ROUTES: '{"order.placed":"ftp://x"}' }, /EVENTPIPE_ROUTES/],
    // Not a URL at all: named (the credentials rule used to throw "Invalid URL" from new URL()).
    [
      { EVENTPIPE_ROUTES: '{"order.placed":"not a url"}' },
      /^invalid configuration: EVENTPIPE_ROUTES\.order\.placed: Invalid URL$/,
    ],
    [
      { EVENTPIPE_ROUTES: '{"order.placed":"https://hook:s3cr3t@orders.example.com/events"}' },
      /^invalid configuration: EVENTPIPE_ROUTES\.order\.placed: must not carry credentials \(user:password@\)[^3]*$/,
    ],
  ])('rejects an invalid combination (%o)', (env, message) => {
    expect(() => loadRuntimeConfig({ ...minimal, ...env })).toThrow(message);
  });

  it('round-trips through toLambdaEnvironment', () => {
    const config = loadRuntimeConfig({
      ...minimal,
      EVENTPIPE_ROUTES: '{"order.placed":"https://h.example.com"}',
    });
    expect(loadRuntimeConfig({ ...toLambdaEnvironment(config), AWS_REGION: 'eu-west-1' })).toEqual(config);
    expect(toLambdaEnvironment(config)).not.toHaveProperty('AWS_REGION');
  });

  it('reads nested settings from their variables and names the variable when one is wrong', () => {
    const config = loadRuntimeConfig({
      ...minimal,
      EVENTPIPE_BREAKER_FAILURES: '0',
      EVENTPIPE_BREAKER_OPEN_SECONDS: '9',
    });
    expect(config.circuitBreaker).toEqual({ failureThreshold: 0, openSeconds: 9 });
    expect(() => loadRuntimeConfig({ ...minimal, EVENTPIPE_BREAKER_OPEN_SECONDS: '0' })).toThrow(
      /^invalid configuration: EVENTPIPE_BREAKER_OPEN_SECONDS: Too small/,
    );
  });

  it('takes the bounds and defaults of the settings it shares with the deployment from the deployment schema', () => {
    for (const key of ['maxAttempts', 'backoffCapSeconds', 'circuitBreaker', 'routes', 'logLevel'] as const) {
      expect(RuntimeConfigRule.schema.shape[key]).toBe(DeploymentFieldsSchema.shape[key]);
    }
  });

  it('carries every shared deployment setting to the functions under the same name', () => {
    // Prepare
    const settings = parseDeploymentSettings({
      source: {
        kind: 'self-managed',
        bootstrapServers: ['b-1:9092'],
        secretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:k',
      },
      topic: 'orders',
      consumerGroupId: 'g',
      maxAttempts: 7,
      backoffBaseSeconds: 20,
      circuitBreaker: { failureThreshold: 9 },
      routes: { 'order.placed': 'https://h.example.com' },
    });
    // Act
    const environment = toLambdaEnvironment(
      runtimeFromDeployment(settings, {
        retryQueueUrl: minimal.EVENTPIPE_RETRY_QUEUE_URL,
        dlqUrl: minimal.EVENTPIPE_DLQ_URL,
      }),
    );
    const config = loadRuntimeConfig({ ...environment, AWS_REGION: 'eu-west-1' });
    // Assess
    expect(environment).toMatchObject({ EVENTPIPE_MAX_ATTEMPTS: '7', EVENTPIPE_BREAKER_FAILURES: '9' });
    expect(config).toMatchObject({
      maxAttempts: 7,
      backoffBaseSeconds: 20,
      backoffCapSeconds: settings.backoffCapSeconds,
      circuitBreaker: settings.circuitBreaker,
      routes: settings.routes,
      kafkaBrokers: ['b-1:9092'],
    });
  });
});
