import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KafkaEvent } from '#shared/pipeline/kafka-event.ts';
import { kafkaEvent, kafkaRecord } from '../../fixtures/factories.ts';
import { endpoints, localKafkaAdmin, uniqueName } from '../../helpers/local-stack.ts';
import { contextWithBudget } from '../../helpers/pipeline-runtime.ts';
import { readTopic } from '../../helpers/read-topic.ts';
import { bundleAsTheStack, KAFKA_MODULES_BEYOND_THE_PRODUCER } from '../../helpers/stack-bundle.ts';

afterEach(() => vi.unstubAllEnvs());

describe('functions/kafka-consumer as the stack bundles it for a Kafka DLQ', () => {
  it('loads and dead-letters a record it cannot decode to the DLQ topic through the bundled producer', async () => {
    // Prepare: the stack's bundling when the settings dead-letter to Kafka
    const { file, inputs } = await bundleAsTheStack('functions/kafka-consumer/handler.ts', {
      kafkaDeadLetters: true,
    });
    const dlqTopic = uniqueName('consumer-bundled-dlq');
    const admin = localKafkaAdmin();
    await admin.createTopics({ topics: [dlqTopic], partitions: 1, replicas: 1 });
    await admin.close();
    // The retry queue is never reached: a record that does not decode is dead-lettered at once.
    vi.stubEnv('EVENTPIPE_RETRY_QUEUE_URL', `${endpoints.sqsEndpoint}/000000000000/${uniqueName('unused')}`);
    vi.stubEnv('EVENTPIPE_SQS_ENDPOINT', endpoints.sqsEndpoint);
    // Each event type needs a route to load; none is called (the record never decodes).
    vi.stubEnv(
      'EVENTPIPE_ROUTES',
      JSON.stringify({
        'order.placed': 'http://127.0.0.1:9/orders',
        'payment.captured': 'http://127.0.0.1:9/payments',
        'notification.requested': 'http://127.0.0.1:9/notifications',
      }),
    );
    vi.stubEnv('EVENTPIPE_DLQ_TARGET', 'kafka');
    vi.stubEnv('EVENTPIPE_DLQ_TOPIC', dlqTopic);
    vi.stubEnv('EVENTPIPE_KAFKA_BROKERS', endpoints.kafkaBrokers.join(','));
    vi.stubEnv('AWS_REGION', endpoints.region);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    // Act
    const { handler } = (await import(pathToFileURL(file).href)) as {
      handler: (event: KafkaEvent, context: ReturnType<typeof contextWithBudget>) => Promise<unknown>;
    };
    await handler(
      kafkaEvent([kafkaRecord({ offset: 7, key: 'k-7', value: '{"not json' })]),
      contextWithBudget(30_000),
    );
    // Assess
    const [letter] = await readTopic(dlqTopic, 1);
    expect(letter?.key).toBe('k-7');
    expect(letter?.headers['eventpipe-original-offset']).toBe('7');
    expect(letter?.headers['eventpipe-stage']).toBe('decode');
    // The dead-letter producer is the producer's own file, without the admin and consumer clients.
    expect(
      inputs.some((input) => input.includes('@platformatic/kafka/dist/clients/producer/producer.js')),
    ).toBe(true);
    expect(inputs.filter((input) => KAFKA_MODULES_BEYOND_THE_PRODUCER.test(input))).toEqual([]);
  }, 60_000);
});
