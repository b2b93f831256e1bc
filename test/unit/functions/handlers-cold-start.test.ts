import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe.each(['kafka-consumer', 'retry-worker'])('functions/%s cold start', (name) => {
  it('fails with a message naming the bad variable', async () => {
    vi.stubEnv('EVENTPIPE_RETRY_QUEUE_URL', 'not a url');
    vi.stubEnv('EVENTPIPE_DLQ_URL', 'https://sqs.eu-west-1.amazonaws.com/1/dlq');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    await expect(import(`../../../functions/${name}/handler.ts`)).rejects.toThrow(
      /^invalid configuration: EVENTPIPE_RETRY_QUEUE_URL: /,
    );
  });

  it('fails when a registered event type has neither a route nor a processor', async () => {
    vi.stubEnv('EVENTPIPE_RETRY_QUEUE_URL', 'https://sqs.eu-west-1.amazonaws.com/1/retry');
    vi.stubEnv('EVENTPIPE_DLQ_URL', 'https://sqs.eu-west-1.amazonaws.com/1/dlq');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('EVENTPIPE_ROUTES', '{"order.placed":"https://hooks.example.com/orders"}');
    await expect(import(`../../../functions/${name}/handler.ts`)).rejects.toThrow(
      'invalid processor configuration: event type "payment.captured" has neither a route (EVENTPIPE_ROUTES) nor a processor; event type "notification.requested" has neither a route (EVENTPIPE_ROUTES) nor a processor',
    );
  });

  it('starts with every type routed', async () => {
    vi.stubEnv('EVENTPIPE_RETRY_QUEUE_URL', 'https://sqs.eu-west-1.amazonaws.com/1/retry');
    vi.stubEnv('EVENTPIPE_DLQ_URL', 'https://sqs.eu-west-1.amazonaws.com/1/dlq');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv(
      'EVENTPIPE_ROUTES',
      JSON.stringify({
        'order.placed': 'https://hooks.example.com/orders',
        'payment.captured': 'https://hooks.example.com/payments',
        'notification.requested': 'https://hooks.example.com/notifications',
      }),
    );
    const module = (await import(`../../../functions/${name}/handler.ts`)) as { handler: unknown };
    expect(typeof module.handler).toBe('function');
  });
});

describe('functions/ingest cold start', () => {
  it('fails with a message naming the bad variable', async () => {
    vi.stubEnv('EVENTPIPE_TOPIC', 'orders');
    vi.stubEnv('EVENTPIPE_KAFKA_BROKERS', 'not-a-broker');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    await expect(import('../../../functions/ingest/handler.ts')).rejects.toThrow(
      'invalid configuration: EVENTPIPE_KAFKA_BROKERS.0: expected host:port',
    );
  });

  it('starts without connecting to Kafka (the producer connects on the first request)', async () => {
    vi.stubEnv('EVENTPIPE_TOPIC', 'orders');
    vi.stubEnv('EVENTPIPE_MSK_CLUSTER_ARN', 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/abc');
    vi.stubEnv('EVENTPIPE_KAFKA_AUTH', 'iam');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const module = (await import('../../../functions/ingest/handler.ts')) as { handler: unknown };
    expect(module.handler).toBeTypeOf('function');
  });
});
