import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { RuntimeConfig } from '../config/runtime-config.ts';

/**
 * The SQS client for the configured region and, locally, the endpoint override (ElasticMQ or
 * LocalStack). Credentials come from the default chain unless given (the local runtime passes
 * dummy ones; ElasticMQ does not check them).
 *
 * @example
 * ```ts
 * const sqs = createSqsClient(config);
 * ```
 */
function createSqsClient(
  config: Pick<RuntimeConfig, 'region' | 'sqsEndpoint'>,
  credentials?: SQSClientConfig['credentials'],
): SQSClient {
  return new SQSClient({
    region: config.region,
    ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
}

export { createSqsClient };
