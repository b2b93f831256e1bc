import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '#shared/adapters/sqs-client.ts';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';

/** ElasticMQ and LocalStack accept any credentials; the SDK insists on some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * An SQS client for the local SQS server.
 *
 * @example
 * ```ts
 * const sqs = localSqsClient(loadLocalEndpoints(process.env));
 * ```
 */
function localSqsClient(endpoints: Pick<LocalEndpoints, 'region' | 'sqsEndpoint'>): SQSClient {
  return createSqsClient({ region: endpoints.region, sqsEndpoint: endpoints.sqsEndpoint }, LOCAL_CREDENTIALS);
}

/** Everything a queue holds: visible, in flight and delayed messages. */
async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
}

export { LOCAL_CREDENTIALS, localSqsClient, queueDepth };
