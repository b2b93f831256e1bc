import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadRuntimeConfig } from '#shared/config/runtime-config.ts';
import { eventTypes } from '#shared/events/index.ts';
import { buildPipelineDependencies } from '#shared/handlers/pipeline-dependencies.ts';
import { CircuitOpenError } from '#shared/pipeline/circuit-breaker.ts';
import { TransientError } from '#shared/pipeline/errors.ts';
import { validateEvent } from '#shared/pipeline/validate.ts';
import { kafkaCoordinates, orderPlaced } from '../../fixtures/factories.ts';
import { endpoints, localSqsClient } from '../../helpers/local-stack.ts';

describe('circuit breaker on a webhook route (real HTTP server)', () => {
  it('stops calling a failing downstream after the threshold, for every type routed to it', async () => {
    // Prepare: a downstream that answers 503 to everything, and counts the calls
    let calls = 0;
    const server = createServer((_request, response) => {
      calls++;
      response.writeHead(503).end('down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const changes: string[] = [];
    const config = loadRuntimeConfig({
      EVENTPIPE_RETRY_QUEUE_URL: `${endpoints.sqsEndpoint}/000000000000/unused-retry`,
      EVENTPIPE_DLQ_URL: `${endpoints.sqsEndpoint}/000000000000/unused-dlq`,
      AWS_REGION: endpoints.region,
      EVENTPIPE_ROUTES: JSON.stringify(
        Object.fromEntries(Object.keys(eventTypes).map((type) => [type, url])),
      ),
      EVENTPIPE_BREAKER_FAILURES: '5',
      EVENTPIPE_BREAKER_OPEN_SECONDS: '60',
    });
    const sqs = localSqsClient();
    const deps = buildPipelineDependencies(config, eventTypes, sqs, {
      onCircuitChange: (route, from, to) => changes.push(`${route} ${from}→${to}`),
    });
    const source = kafkaCoordinates({ topic: 't', offset: 0, timestamp: 0 });
    // Act: 50 events to the failing route
    const errors: Error[] = [];
    try {
      for (let i = 0; i < 50; i++) {
        const event = validateEvent(orderPlaced(`cb-${i}`), eventTypes);
        await deps
          .processorFor(event)(event, {
            signal: new AbortController().signal,
            idempotencyKey: event.id,
            attempt: 1,
            source,
          })
          .catch((error: Error) => errors.push(error));
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      sqs.destroy();
    }
    // Assess: 5 calls reached the downstream, the other 45 were held back, all transient
    expect(calls).toBe(5);
    expect(errors.filter((e) => e instanceof CircuitOpenError)).toHaveLength(45);
    expect(errors.every((e) => e instanceof TransientError)).toBe(true);
    expect(changes).toEqual([`${url} closed→open`]);
  });
});
