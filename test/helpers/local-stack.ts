import type { SQSClient } from '@aws-sdk/client-sqs';
import { Admin, type MessageToProduce, Producer } from '@platformatic/kafka';
import { type LocalEndpoints, loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { localSqsClient as sharedLocalSqsClient } from '../../local/local-sqs-client.ts';

/** The endpoints the integration and end-to-end tests talk to, from the shared configuration. */
const endpoints: LocalEndpoints = loadLocalEndpoints(process.env);

/** An SQS client for the local SQS-compatible server (ElasticMQ or LocalStack). */
function localSqsClient(): SQSClient {
  return sharedLocalSqsClient(endpoints);
}

/** A Kafka admin client for the local broker. */
function localKafkaAdmin(): Admin {
  return new Admin({ clientId: 'eventpipe-tests', bootstrapBrokers: endpoints.kafkaBrokers });
}

/** Produces raw messages (bytes in, bytes out) to the local broker, acknowledged by all replicas. */
async function produceMessages(messages: MessageToProduce<Buffer, Buffer, Buffer, Buffer>[]): Promise<void> {
  const producer = new Producer({
    clientId: 'eventpipe-tests',
    bootstrapBrokers: endpoints.kafkaBrokers,
    acks: -1,
  });
  try {
    await producer.send({ messages });
  } finally {
    await producer.close();
  }
}

/** A name no other test run uses, so tests never see each other's topics, queues or groups. */
function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export { endpoints, localKafkaAdmin, localSqsClient, produceMessages, uniqueName };
