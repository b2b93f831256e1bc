import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDeploymentSettings } from '#shared/config/deployment-settings.ts';
import { type BuiltIngestHandler, buildIngestHandler } from '#shared/ingest/build-ingest-handler.ts';
import { localIngestConfig } from '#shared/ingest/local-ingest-config.ts';
import { createPowertools } from '#shared/observability/powertools.ts';
import { ingestRequest, orderPlaced } from '../../fixtures/factories.ts';
import { endpoints, localKafkaAdmin, uniqueName } from '../../helpers/local-stack.ts';
import { readTopic } from '../../helpers/read-topic.ts';

/** The handler the local runtime builds, for a topic of its own (and, for a fault, other brokers). */
function localHandler(
  topic: string,
  brokers: readonly string[] = endpoints.kafkaBrokers,
): BuiltIngestHandler {
  const settings = parseDeploymentSettings({
    source: {
      kind: 'msk',
      clusterArn:
        'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2',
    },
    topic,
    consumerGroupId: 'eventpipe-ingest-test',
    ingest: { produceTimeoutMs: 2_000, retryAfterSeconds: 3 },
  });
  return buildIngestHandler(
    localIngestConfig(settings, { kafkaBrokers: brokers, region: endpoints.region }),
    createPowertools(
      { serviceName: 'eventpipe-test', metricsNamespace: 'EventPipeTest', logLevel: 'SILENT' },
      'ingest',
    ),
  );
}

describe('the ingest handler on the local broker', () => {
  const built: BuiltIngestHandler[] = [];
  afterAll(async () => {
    for (const ingest of built) await ingest.close();
  });

  it('answers 202 once the events are on the topic, keyed and with their CloudEvents headers', async () => {
    // Prepare
    const topic = uniqueName('ingest-http');
    const admin = localKafkaAdmin();
    await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 });
    await admin.close();
    const ingest = localHandler(topic);
    built.push(ingest);
    const batch = [{ ...orderPlaced('h-1'), partitionkey: 'customer-1' }, orderPlaced('h-2')];
    // Act
    const response = await ingest.handler(
      ingestRequest({ body: batch, contentType: 'application/cloudevents-batch+json' }),
    );
    // Assess
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ accepted: ['h-1', 'h-2'], refused: [] });
    const received = new Map((await readTopic(topic, 2)).map((message) => [message.key, message]));
    expect(received.get('customer-1')?.headers).toEqual({
      'content-type': 'application/cloudevents+json; charset=UTF-8',
      ce_specversion: '1.0',
      ce_id: 'h-1',
      ce_type: 'order.placed',
      ce_source: '/shop/checkout',
    });
    expect(JSON.parse(received.get('customer-1')?.value ?? '{}')).toEqual(batch[0]);
    expect(received.get('h-2')?.headers).toMatchObject({ ce_id: 'h-2' });
  });

  it('answers 503 with Retry-After, not hanging, when nothing listens on the broker port', async () => {
    // Prepare: a port that was free a moment ago
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const ingest = localHandler('orders', [`127.0.0.1:${port}`]);
    built.push(ingest);
    // Act
    const response = await ingest.handler(ingestRequest({ body: orderPlaced('h-3') }));
    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '3' });
  }, 15_000);
});
