import type { SQSClient } from '@aws-sdk/client-sqs';
import { type LocalEndpoints, loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { loadLocalSettings, localQueueNames } from '../../local-settings.ts';
import { localSqsClient } from '../../local-sqs-client.ts';
import { ensureQueues, type LocalQueues } from '../../provision.ts';

/** Parses a CLI number, failing with the option's name. */
function numberOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      throw new Error(`--${name} must be a number from ${min} to ${max}, got "${value}"`);
    }
    return parsed;
  };
}

/** Endpoints, an SQS client and the local queues (created if missing), for commands that need them. */
async function localContext(): Promise<{ endpoints: LocalEndpoints; sqs: SQSClient; queues: LocalQueues }> {
  const endpoints = loadLocalEndpoints(process.env);
  const sqs = localSqsClient(endpoints);
  const queues = await ensureQueues(sqs, localQueueNames(), loadLocalSettings());
  return { endpoints, sqs, queues };
}

export { localContext, numberOption };
