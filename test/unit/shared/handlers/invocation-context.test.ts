import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { createRetryWorkerHandler } from '#shared/handlers/retry-worker-handler.ts';
import { createPowertools } from '#shared/observability/powertools.ts';
import { invokeLocally, type LocalHandler } from '../../../../local/esm/invoke.ts';
import { kafkaCoordinates, kafkaEvent, kafkaRecord, orderPlaced } from '../../../fixtures/factories.ts';
import { pipelineSettings, recordingPorts } from '../../../fixtures/ports.ts';
import { captureOutput } from '../../../helpers/capture-output.ts';

const deps = () => recordingPorts();
const settings = pipelineSettings();
const powertools = (role: string) =>
  createPowertools(
    { serviceName: 'eventpipe-test', metricsNamespace: 'EventPipeTest', logLevel: 'INFO' },
    role,
  );

const retryMessage = {
  kind: 'eventpipe.retry/v1',
  event: orderPlaced('e-ctx'),
  source: kafkaCoordinates(),
  attempts: 1,
  redriveCount: 0,
};
const sqsEvent = {
  Records: [
    {
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body: JSON.stringify(retryMessage),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
      },
      messageAttributes: {},
      md5OfBody: '098f6bcd4621d373cade4e832627b4f6',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:eventpipe-retry',
      awsRegion: 'us-east-1',
    },
  ],
};

/** Every log line (not EMF) of two invocations made the way the emulators make them. */
async function logLinesOfTwoInvocations(handler: LocalHandler, event: unknown, functionName: string) {
  const output = captureOutput();
  try {
    await invokeLocally(handler, event, { functionName, timeoutMs: 30_000 });
    await invokeLocally(handler, event, { functionName, timeoutMs: 30_000 });
  } finally {
    output.restore();
  }
  return output
    .lines()
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => !('_aws' in entry));
}

// Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE (reserved environment variables, Lambda developer
// guide); Powertools reports cold_start only when it is `on-demand`, and reads it when a Logger is
// built. PT's own tests set it the same way (packages/testing/src/setupEnv.ts).
beforeEach(() => vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe.each([
  [
    'the Kafka consumer',
    'kafka-consumer',
    () => createKafkaConsumerHandler({ deps: deps(), settings, ...powertools('kafka-consumer') }),
    kafkaEvent([kafkaRecord({ offset: 0, value: orderPlaced('e-ctx') })]),
    'batch settled',
  ],
  [
    'the retry worker',
    'retry-worker',
    () => createRetryWorkerHandler({ deps: deps(), settings, ...powertools('retry-worker') }),
    sqsEvent,
    'retry succeeded',
  ],
] as const)('%s', (_, functionName, build, event, message) => {
  it('logs with the invocation context: request id, cold start, function name, ARN, memory', async () => {
    // Act
    const entries = await logLinesOfTwoInvocations(build() as LocalHandler, event, functionName);
    // Assess: one line per invocation, each with its own request id; only the first is a cold start
    const lines = entries.filter((entry) => entry.message === message);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      cold_start: true,
      function_name: functionName,
      function_arn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
      function_memory_size: '128',
      function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(lines[1]).toMatchObject({ cold_start: false, function_name: functionName });
    expect(lines[1]?.function_request_id).not.toBe(lines[0]?.function_request_id);
  });
});
