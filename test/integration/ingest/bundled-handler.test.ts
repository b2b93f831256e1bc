import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ingestRequest, orderPlaced } from '../../fixtures/factories.ts';
import { endpoints, localKafkaAdmin, uniqueName } from '../../helpers/local-stack.ts';
import { readTopic } from '../../helpers/read-topic.ts';
import { bundleAsTheStack, KAFKA_MODULES_BEYOND_THE_PRODUCER } from '../../helpers/stack-bundle.ts';

afterEach(() => vi.unstubAllEnvs());

describe('functions/ingest as the stack bundles it', () => {
  it('loads (the Kafka client WebAssembly inline, no native.wasm file) and answers 202 with the event on the topic', async () => {
    // Prepare: esbuild with the stack's bundling for a function that produces to Kafka
    const { file, inputs } = await bundleAsTheStack('functions/ingest/handler.ts', {
      kafkaDeadLetters: true,
    });
    const topic = uniqueName('ingest-bundled');
    const admin = localKafkaAdmin();
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    await admin.close();
    vi.stubEnv('EVENTPIPE_TOPIC', topic);
    vi.stubEnv('EVENTPIPE_KAFKA_BROKERS', endpoints.kafkaBrokers.join(','));
    vi.stubEnv('AWS_REGION', endpoints.region);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    // Act
    const { handler } = (await import(pathToFileURL(file).href)) as {
      handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
    };
    const response = await handler(ingestRequest({ body: orderPlaced('bundled-1') }));
    // Assess
    expect(response.statusCode).toBe(202);
    expect((await readTopic(topic, 1))[0]?.headers.ce_id).toBe('bundled-1');
    // The producer's own file, not the package entry that brings the admin and consumer clients,
    // whose ajv validators cost ≈190 ms of every cold start (kafka-producer-only.ts).
    expect(
      inputs.some((input) => input.includes('@platformatic/kafka/dist/clients/producer/producer.js')),
    ).toBe(true);
    expect(inputs.filter((input) => KAFKA_MODULES_BEYOND_THE_PRODUCER.test(input))).toEqual([]);
  }, 60_000);
});
