import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import type { RuntimeConfig } from '../config/runtime-config.ts';

/** What the SQS adapters need of a client: a real `SQSClient`, or {@link lazySqsClient}'s stand-in. */
type SqsSender = Pick<SQSClient, 'send'>;

let sdk: Promise<typeof import('@aws-sdk/client-sqs')> | undefined;

/**
 * `@aws-sdk/client-sqs`, imported on first need and then shared. Loading it costs about 110 ms of
 * init, and a batch where every record succeeds never calls SQS, so the functions pay it only on
 * their first hand-off (the adapters build their commands from this module too).
 *
 * @example
 * ```ts
 * const { SendMessageBatchCommand } = await loadSqsSdk();
 * ```
 */
function loadSqsSdk(): Promise<typeof import('@aws-sdk/client-sqs')> {
  sdk ??= import('@aws-sdk/client-sqs');
  return sdk;
}

/**
 * The SQS client's options: the configured region and, locally, the endpoint override (ElasticMQ
 * or LocalStack). Credentials come from the default chain unless given.
 */
function sqsClientConfig(
  config: Pick<RuntimeConfig, 'region' | 'sqsEndpoint'>,
  credentials?: SQSClientConfig['credentials'],
): SQSClientConfig {
  return {
    region: config.region,
    ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/**
 * An SQS client that is created on its first `send`, configured as {@link sqsClientConfig}, without
 * loading the SDK at cold start.
 *
 * @example
 * ```ts
 * const deps = buildPipelineDependencies(config, eventTypes, lazySqsClient(config));
 * ```
 */
function lazySqsClient(config: Pick<RuntimeConfig, 'region' | 'sqsEndpoint'>): SqsSender {
  let client: Promise<SQSClient> | undefined;
  const create = async () => {
    const { SQSClient: Client } = await loadSqsSdk();
    return new Client(sqsClientConfig(config));
  };
  const send = async (command: Parameters<SQSClient['send']>[0]) => {
    client ??= create();
    return (await client).send(command);
  };
  return { send: send as SQSClient['send'] };
}

export type { SqsSender };
export { lazySqsClient, loadSqsSdk, sqsClientConfig };
