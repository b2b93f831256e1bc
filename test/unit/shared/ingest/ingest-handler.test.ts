import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventTypes } from '#shared/events/index.ts';
import { createIngestHandler } from '#shared/ingest/ingest-handler.ts';
import type { EventProducer, IngestSettings } from '#shared/ingest/types.ts';
import { createPowertools } from '#shared/observability/powertools.ts';
import { coordinatesOf, decodeValue } from '#shared/pipeline/decode.ts';
import { validateEvent } from '#shared/pipeline/validate.ts';
import { ingestRequest, kafkaRecord, orderPlaced, recordingProducer } from '../../../fixtures/factories.ts';
import { captureOutput } from '../../../helpers/capture-output.ts';

const SECRET_MARKER = 'tok_live_4111111111111111';

const SETTINGS: IngestSettings = {
  maxBodyBytes: 16_384,
  maxBatchEvents: 5,
  maxEventBytes: 4_096,
  produceTimeoutMs: 200,
  retryAfterSeconds: 7,
};

/** Runs one request through a handler with real Powertools, its output captured. */
async function send(
  event: APIGatewayProxyEventV2,
  producer: EventProducer = recordingProducer(),
  settings: IngestSettings = SETTINGS,
) {
  const { logger, metrics } = createPowertools(
    { serviceName: 'eventpipe-test', metricsNamespace: 'EventPipeTest', logLevel: 'INFO' },
    'ingest',
  );
  const handler = createIngestHandler({ producer, registry: eventTypes, settings, logger, metrics });
  const output = captureOutput();
  try {
    const response = await handler(event);
    return {
      response,
      body: JSON.parse(response.body ?? '{}') as Record<string, unknown>,
      output: output.lines(),
    };
  } finally {
    output.restore();
  }
}

/** The counts of the EMF blob(s) the invocation published. */
function metricsOf(lines: readonly string[]): Record<string, unknown> {
  return Object.assign(
    {},
    ...lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => '_aws' in entry),
  );
}

afterEach(() => vi.restoreAllMocks());

describe('createIngestHandler', () => {
  describe('202', () => {
    it('accepts one valid event after the broker acknowledged it, keyed by its id', async () => {
      // Prepare
      const producer = recordingProducer();
      const event = orderPlaced('e-1');
      // Act
      const { response, body, output } = await send(ingestRequest({ body: event }), producer);
      // Assess
      expect(response.statusCode).toBe(202);
      expect(body).toEqual({ accepted: ['e-1'], refused: [] });
      expect(producer.sent).toHaveLength(1);
      const [record] = producer.sent[0] ?? [];
      expect(record?.key).toBe('e-1');
      expect(record?.value.toString()).toBe(JSON.stringify(event));
      expect(record?.headers).toEqual({
        'content-type': 'application/cloudevents+json; charset=UTF-8',
        ce_specversion: '1.0',
        ce_id: 'e-1',
        ce_type: 'order.placed',
        ce_source: '/shop/checkout',
      });
      expect(metricsOf(output)).toMatchObject({ Ingested: 1 });
    });

    it('keys the record by the partitionkey extension and keeps the extension in the event', async () => {
      // Prepare
      const producer = recordingProducer();
      const event = { ...orderPlaced('e-2'), partitionkey: 'customer-9' };
      // Act
      const { response } = await send(ingestRequest({ body: event }), producer);
      // Assess
      expect(response.statusCode).toBe(202);
      expect(producer.sent[0]?.[0]?.key).toBe('customer-9');
      expect(JSON.parse(producer.sent[0]?.[0]?.value.toString() ?? '{}')).toMatchObject({
        partitionkey: 'customer-9',
      });
    });

    it('produces a record the consumer decodes and validates to the same event, with its key', async () => {
      // Prepare
      const producer = recordingProducer();
      const event = { ...orderPlaced('e-3', 'customer-3'), partitionkey: 'customer-3' };
      await send(ingestRequest({ body: event }), producer);
      const record = producer.sent[0]?.[0];
      // Act: the record as Lambda's Kafka event source would deliver it
      const delivered = kafkaRecord({
        offset: 0,
        key: record?.key ?? null,
        value: record?.value.toString(),
        headers: record?.headers,
      });
      const consumed = validateEvent(decodeValue(delivered), eventTypes);
      // Assess
      expect(consumed).toEqual(validateEvent(event, eventTypes));
      expect(coordinatesOf(delivered)).toMatchObject({
        key: 'customer-3',
        headers: { ce_id: 'e-3', ce_type: 'order.placed' },
      });
    });

    it('reads a base64-encoded body (isBase64Encoded) as API Gateway sends a binary one', async () => {
      // Prepare
      const producer = recordingProducer();
      // Act
      const { response } = await send(ingestRequest({ body: orderPlaced('e-4'), base64: true }), producer);
      // Assess
      expect(response.statusCode).toBe(202);
      expect(JSON.parse(producer.sent[0]?.[0]?.value.toString() ?? '{}')).toMatchObject({ id: 'e-4' });
    });

    it('reads mixed-case header names and a charset parameter (aws-lambda-go JWT fixture)', async () => {
      // Prepare: the fixture's headers are `Header1`…; the content type as a browser would write it
      const request = ingestRequest({
        body: orderPlaced('e-5'),
        fixture: 'go-apigw-v2-request-jwt-authorizer',
      });
      delete request.headers['content-type'];
      request.headers['Content-Type'] = 'Application/CloudEvents+JSON; charset=UTF-8';
      // Act
      const { response } = await send(request);
      // Assess
      expect(response.statusCode).toBe(202);
    });

    it('answers a batch with some invalid events 202, listing accepted ids and each refusal', async () => {
      // Prepare
      const producer = recordingProducer();
      const batch = [
        orderPlaced('b-1'),
        { ...orderPlaced('b-2'), data: { orderId: SECRET_MARKER } },
        { ...orderPlaced('b-3'), type: 'order.unknown' },
        orderPlaced('b-4'),
        { ...orderPlaced('b-5'), partitionkey: 42 },
        'not an event',
      ];
      // Act
      const { response, body, output } = await send(
        ingestRequest({ body: batch, contentType: 'application/cloudevents-batch+json' }),
        producer,
        { ...SETTINGS, maxBatchEvents: 10 },
      );
      // Assess
      expect(response.statusCode).toBe(202);
      expect(body.accepted).toEqual(['b-1', 'b-4']);
      expect(producer.sent).toHaveLength(1);
      expect(producer.sent[0]?.map((record) => record.key)).toEqual(['b-1', 'b-4']);
      const refused = body.refused as { index: number; id?: string; kind: string; reason: string }[];
      expect(refused.map(({ index, id, kind }) => ({ index, id, kind }))).toEqual([
        { index: 1, id: 'b-2', kind: 'invalid' },
        { index: 2, id: 'b-3', kind: 'invalid' },
        { index: 4, id: 'b-5', kind: 'invalid' },
        { index: 5, id: undefined, kind: 'invalid' },
      ]);
      expect(refused[0]).toMatchObject({
        reason: expect.stringContaining('data does not match order.placed'),
        issues: expect.arrayContaining([{ path: 'data.customerId', message: expect.any(String) }]),
      });
      expect(refused[1]?.reason).toBe('unknown event type "order.unknown"');
      expect(refused[2]?.reason).toMatch(/^partitionkey must be a string of 1–1024 characters/);
      expect(response.body).not.toContain(SECRET_MARKER);
      expect(output.join('\n')).not.toContain(SECRET_MARKER);
      expect(metricsOf(output)).toMatchObject({ Ingested: 2, IngestRefused: 4 });
    });
  });

  describe('400', () => {
    it('refuses one invalid event with zod issues and never echoes the payload', async () => {
      // Prepare
      const producer = recordingProducer();
      const event = { ...orderPlaced('e-6'), specversion: '0.3', data: { customerId: SECRET_MARKER } };
      // Act
      const { response, body, output } = await send(ingestRequest({ body: event }), producer);
      // Assess
      expect(response.statusCode).toBe(400);
      expect(body).toEqual({
        accepted: [],
        refused: [
          {
            index: 0,
            id: 'e-6',
            kind: 'invalid',
            reason: expect.stringContaining('invalid envelope: specversion'),
            issues: [{ path: 'specversion', message: expect.any(String) }],
          },
        ],
      });
      expect(producer.sent).toHaveLength(0);
      expect(response.body).not.toContain(SECRET_MARKER);
      expect(output.join('\n')).not.toContain(SECRET_MARKER);
    });

    it('refuses a batch whose events are all invalid, producing nothing', async () => {
      // Prepare
      const producer = recordingProducer();
      const batch = [{ id: 'x-1' }, { ...orderPlaced('x-2'), data: {} }];
      // Act
      const { response, body } = await send(
        ingestRequest({ body: batch, contentType: 'application/cloudevents-batch+json' }),
        producer,
      );
      // Assess
      expect(response.statusCode).toBe(400);
      expect(body.accepted).toEqual([]);
      expect((body.refused as unknown[]).length).toBe(2);
      expect(producer.sent).toHaveLength(0);
    });

    it.each([
      [
        'a body that is not JSON',
        `{"id": "${SECRET_MARKER}"`,
        'application/cloudevents+json',
        /^the body is not valid JSON at position \d+ \(\d+ bytes\)$/,
      ],
      ['an empty body', '', 'application/cloudevents+json', /^the body is empty$/],
      [
        'a batch that is no array',
        orderPlaced('e-7'),
        'application/cloudevents-batch+json',
        /is a JSON array of events$/,
      ],
      ['an empty batch', [], 'application/cloudevents-batch+json', /^the batch is empty$/],
    ])('refuses %s with a message that quotes nothing of it', async (_, body, contentType, message) => {
      // Act
      const { response, body: answer } = await send(ingestRequest({ body, contentType }));
      // Assess
      expect(response.statusCode).toBe(400);
      expect(answer.message).toMatch(message);
      expect(response.body).not.toContain(SECRET_MARKER);
    });

    it('refuses a base64 body that is not UTF-8', async () => {
      // Prepare
      const request = ingestRequest({ body: '' });
      request.isBase64Encoded = true;
      request.body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64');
      // Act
      const { response, body } = await send(request);
      // Assess
      expect(response.statusCode).toBe(400);
      expect(body.message).toBe('the body is not valid UTF-8');
    });
  });

  describe('413', () => {
    it('refuses a body over maxBodyBytes before reading it', async () => {
      // Prepare
      const producer = recordingProducer();
      const event = { ...orderPlaced('e-8'), subject: 'x'.repeat(SETTINGS.maxBodyBytes) };
      // Act
      const { response, body } = await send(ingestRequest({ body: event }), producer);
      // Assess
      expect(response.statusCode).toBe(413);
      expect(body.message).toMatch(/^the body is \d+ bytes, over the limit of 16384 \(maxBodyBytes\)$/);
      expect(producer.sent).toHaveLength(0);
    });

    it('measures a base64 body by its decoded size', async () => {
      // Prepare: 12 KiB of JSON is 16 KiB of base64, still under the 16 KiB limit once decoded
      const event = { ...orderPlaced('e-9'), padding: 'x'.repeat(12_000) };
      // Act
      const { response } = await send(ingestRequest({ body: event, base64: true }), recordingProducer(), {
        ...SETTINGS,
        maxEventBytes: SETTINGS.maxBodyBytes,
      });
      // Assess
      expect(response.statusCode).toBe(202);
    });

    it('refuses a batch of more than maxBatchEvents events', async () => {
      // Prepare
      const batch = Array.from({ length: SETTINGS.maxBatchEvents + 1 }, (_, i) => orderPlaced(`n-${i}`));
      // Act
      const { response, body } = await send(
        ingestRequest({ body: batch, contentType: 'application/cloudevents-batch+json' }),
      );
      // Assess
      expect(response.statusCode).toBe(413);
      expect(body.message).toBe('the batch has 6 events, over the limit of 5 (maxBatchEvents)');
    });

    it('refuses one event larger than the consumer decodes (maxRecordBytes)', async () => {
      // Prepare
      const event = { ...orderPlaced('e-10'), subject: 'x'.repeat(SETTINGS.maxEventBytes) };
      // Act
      const { response, body } = await send(ingestRequest({ body: event }));
      // Assess
      expect(response.statusCode).toBe(413);
      expect(body.refused).toEqual([
        {
          index: 0,
          id: 'e-10',
          kind: 'too-large',
          reason: expect.stringMatching(/over the limit of 4096$/),
        },
      ]);
    });
  });

  describe('415', () => {
    it.each([
      ['application/json', /^content-type must be application\/cloudevents\+json .*, not application\/json$/],
      ['text/plain', /, not text\/plain$/],
      ['application/cloudevents+json; charset=iso-8859-1', /^the body must be UTF-8/],
    ])('refuses %s', async (contentType, message) => {
      // Prepare
      const producer = recordingProducer();
      // Act
      const { response, body } = await send(
        ingestRequest({ body: orderPlaced('e-11'), contentType }),
        producer,
      );
      // Assess
      expect(response.statusCode).toBe(415);
      expect(body.message).toMatch(message);
      expect(producer.sent).toHaveLength(0);
    });

    it('refuses a request without a content type', async () => {
      // Prepare
      const request = ingestRequest({ body: orderPlaced('e-12') });
      delete request.headers['content-type'];
      // Act
      const { response } = await send(request);
      // Assess
      expect(response.statusCode).toBe(415);
    });
  });

  describe('503', () => {
    it.each([
      ['refuses the connection', 'unreachable', 'Kafka is unavailable'],
      ['does not acknowledge within produceTimeoutMs', 'hangs', 'Kafka did not acknowledge within 200 ms'],
    ] as const)('answers 503 with Retry-After when the broker %s', async (_, fault, message) => {
      // Act
      const { response, body, output } = await send(
        ingestRequest({ body: orderPlaced('e-13') }),
        recordingProducer(fault),
      );
      // Assess
      expect(response.statusCode).toBe(503);
      expect(response.headers).toMatchObject({ 'retry-after': '7' });
      expect(body).toEqual({ message });
      expect(metricsOf(output)).toMatchObject({ IngestUnavailable: 1 });
      expect(metricsOf(output)).not.toHaveProperty('Ingested');
    });
  });

  describe('routes', () => {
    it.each([
      ['GET', '/events'],
      ['PUT', '/events'],
      ['POST', '/other'],
      ['POST', '/events/extra'],
    ])('answers %s %s 404 Not Found, as API Gateway answers an unmatched route', async (method, path) => {
      // Act
      const { response, body } = await send(ingestRequest({ body: orderPlaced('e-14'), method, path }));
      // Assess
      expect(response.statusCode).toBe(404);
      expect(body).toEqual({ message: 'Not Found' });
    });

    it('serves POST /events under a named stage (rawPath /<stage>/events)', async () => {
      // Prepare
      const request = ingestRequest({ body: orderPlaced('e-15'), path: '/prod/events' });
      request.requestContext.stage = 'prod';
      // Act
      const { response } = await send(request);
      // Assess
      expect(response.statusCode).toBe(202);
    });
  });
});
