import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import { sqsClientConfig } from './sqs-sdk.ts';

/**
 * The SQS client, loaded at once (the local runtime and tests; the functions use `lazySqsClient`),
 * configured by `sqsClientConfig` (the local runtime passes dummy credentials; ElasticMQ does not
 * check them).
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
  return new SQSClient(sqsClientConfig(config, credentials));
}

export { createSqsClient };
