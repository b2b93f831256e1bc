import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpProcessor } from '#shared/adapters/http-processor.ts';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { createPowertools } from '#shared/observability/powertools.ts';
import { CircuitOpenError } from '#shared/pipeline/circuit-breaker.ts';
import { TransientError } from '#shared/pipeline/errors.ts';
import type { KafkaEvent } from '#shared/pipeline/kafka-event.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { localContext } from '../../../../local/esm/invoke.ts';
import { kafkaEvent, kafkaRecord, orderPlaced } from '../../../fixtures/factories.ts';
import { loadEvent } from '../../../fixtures/load-event.ts';
import { pipelineSettings, recordingDeadLetters, recordingPorts } from '../../../fixtures/ports.ts';
import { captureOutput } from '../../../helpers/capture-output.ts';

const SECRET_MARKER = 'tok_live_4111111111111111';

/** The EMF blobs among captured output lines (the rest are log entries). */
function emfBlobs(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => '_aws' in entry);
}

function handlerWith(
  logLevel: 'INFO' | 'DEBUG',
  processor: Processor = async (event) => {
    if (event.id === 'fail') throw new TransientError('HTTP 503');
  },
  deadLetters = recordingDeadLetters(),
) {
  const { logger, metrics } = createPowertools(
    { serviceName: 'eventpipe-test', metricsNamespace: 'EventPipeTest', logLevel },
    'kafka-consumer',
  );
  const deps = { ...recordingPorts(processor), deadLetters };
  return createKafkaConsumerHandler({ deps, settings: pipelineSettings(), logger, metrics });
}

const context = localContext({ functionName: 'kafka-consumer', timeoutMs: 30_000 });

afterEach(() => vi.restoreAllMocks());

describe('createKafkaConsumerHandler', () => {
  it('logs no payload at INFO, only coordinates, ids and error descriptions', async () => {
    // Prepare: payloads that carry a secret-looking value, valid and invalid
    const secretOrder = orderPlaced('ok');
    secretOrder.data.customerId = SECRET_MARKER;
    const event = kafkaEvent([
      kafkaRecord({ offset: 0, key: 'k1', value: secretOrder }),
      kafkaRecord({ offset: 1, key: 'k2', value: { ...orderPlaced('fail'), subject: SECRET_MARKER } }),
      kafkaRecord({ offset: 2, key: 'k3', value: { ...orderPlaced('bad'), data: { note: SECRET_MARKER } } }),
      kafkaRecord({ offset: 3, key: 'k4', value: `{"broken": "${SECRET_MARKER}` }),
    ]);
    const stdout = captureOutput();
    // Act
    try {
      await handlerWith('INFO')(event, context);
    } finally {
      stdout.restore();
    }
    // Assess
    const output = stdout.lines().join('\n');
    expect(output).toContain('record dead-lettered');
    expect(output).toContain('record scheduled for retry');
    expect(output).not.toContain(SECRET_MARKER);
  });

  it('keeps a downstream answer that echoes the payload out of the logs, and in the dead letter', async () => {
    // Prepare: a real webhook that rejects the event, quoting it
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const customerId = (JSON.parse(body) as { data: { customerId: string } }).data.customerId;
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end(`unknown customer ${customerId}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events?token=${SECRET_MARKER}`;
    const order = orderPlaced('echoed');
    order.data.customerId = SECRET_MARKER;
    const deadLetters = recordingDeadLetters();
    const stdout = captureOutput();
    // Act
    try {
      const handler = handlerWith('INFO', httpProcessor(url, { timeoutMs: 2_000 }), deadLetters);
      await handler(kafkaEvent([kafkaRecord({ offset: 0, key: 'k1', value: order })]), context);
    } finally {
      stdout.restore();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    // Assess
    expect(stdout.lines().join('\n')).toContain('HTTP 400 from');
    expect(stdout.lines().join('\n')).not.toContain(SECRET_MARKER);
    expect(deadLetters.letters[0]?.failure).toMatchObject({
      errorName: 'PermanentError',
      details: { responseBody: `unknown customer ${SECRET_MARKER}` },
    });
    expect(deadLetters.letters[0]?.failure.message).not.toContain(SECRET_MARKER);
  });

  it('counts records an open circuit short-circuited', async () => {
    const stdout = captureOutput();
    try {
      const handler = handlerWith('INFO', async () => {
        throw new CircuitOpenError('https://orders.example.com/events', 30);
      });
      await handler(kafkaEvent([kafkaRecord({ offset: 0, key: 'k1', value: orderPlaced('open') })]), context);
    } finally {
      stdout.restore();
    }
    const [blob] = emfBlobs(stdout.lines());
    expect(blob).toMatchObject({ Received: 1, Retried: 1, ShortCircuited: 1 });
  });

  it('publishes one EMF blob per invocation with the batch counts', async () => {
    const stdout = captureOutput();
    try {
      await handlerWith('INFO')(loadEvent<KafkaEvent>('msk', 'mixed-batch'), context);
    } finally {
      stdout.restore();
    }
    const blobs = emfBlobs(stdout.lines());
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatchObject({
      service: 'eventpipe-test',
      function: 'kafka-consumer',
      Received: 12,
      Processed: 5,
      DeadLettered: 7,
      DeadLetteredDecode: 4,
      DeadLetteredValidate: 3,
      BatchSize: 12,
    });
  });

  it('rejects an event that is not a Kafka event', async () => {
    await expect(handlerWith('INFO')({ Records: [] }, context)).rejects.toThrow(/^not a Kafka event/);
  });
});
