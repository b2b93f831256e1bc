import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { Admin } from '@platformatic/kafka';
import { endpoints, localSqsClient } from './local-stack.ts';

const PROBE_TIMEOUT_MS = 3_000;

/** What of the local stack does not answer right now, in words; empty when all is well. */
async function probeLocalStack(): Promise<string[]> {
  const problems: string[] = [];
  const admin = new Admin({
    clientId: 'eventpipe-tests-probe',
    bootstrapBrokers: endpoints.kafkaBrokers,
    retries: 0,
    timeout: PROBE_TIMEOUT_MS,
  });
  try {
    await admin.metadata({ topics: [] });
  } catch (error) {
    problems.push(
      `Kafka is not reachable on ${endpoints.kafkaBrokers.join(',')} (${(error as Error).message})`,
    );
  } finally {
    await admin.close().catch(() => undefined);
  }
  const sqs = localSqsClient();
  try {
    await sqs.send(new ListQueuesCommand({}), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch (error) {
    problems.push(`SQS is not reachable on ${endpoints.sqsEndpoint} (${(error as Error).message})`);
  } finally {
    sqs.destroy();
  }
  return problems;
}

const FIX = 'run `npm run services:up` (or use `npm test`, which starts them)';

export { FIX, probeLocalStack };
