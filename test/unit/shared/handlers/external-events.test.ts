import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKafkaConsumerHandler } from '#shared/handlers/kafka-consumer-handler.ts';
import { createRetryWorkerHandler } from '#shared/handlers/retry-worker-handler.ts';
import { createPowertools } from '#shared/observability/powertools.ts';
import type { DeadLetter } from '#shared/pipeline/messages.ts';
import { localContext } from '../../../../local/esm/invoke.ts';
import { loadEvent } from '../../../fixtures/load-event.ts';
import { pipelineSettings, recordingPorts } from '../../../fixtures/ports.ts';

/**
 * Every event shape AWS and the runtimes publish (test/fixtures/events/external/README.md names
 * each source), through the real handlers with in-process fakes for SQS only. Each record or
 * message is expected to settle exactly once: processed (its event id listed), or dead-lettered
 * with a specific reason and its payload kept.
 */
type Expected = { readonly processed: readonly string[]; readonly deadLettered: Record<string, RegExp> };

const NOT_JSON = /^value is not valid JSON/;
const NOT_A_CLOUDEVENT = /^invalid envelope: specversion: Invalid input: expected "1\.0"; id: /;
const NOT_UTF8_PROTOBUF =
  /^value is not valid UTF-8; the record declares valueSchemaMetadata\.dataFormat PROTOBUF, and the pipeline reads JSON CloudEvents only$/;
const NOT_JSON_PROTOBUF =
  /^value is not valid JSON \(\d+ bytes\); the record declares valueSchemaMetadata\.dataFormat PROTOBUF, and the pipeline reads JSON CloudEvents only$/;

const KAFKA: Record<string, Expected> = {
  'aws-guide-msk': { processed: [], deadLettered: { 'mytopic-0@15': NOT_JSON } },
  'aws-guide-self-managed': { processed: [], deadLettered: { 'mytopic-0@15': NOT_JSON } },
  'go-kafka-event': {
    processed: [],
    deadLettered: { 'AWSKafkaTopic-0@0': /^value is not valid JSON at position 1/ },
  },
  'rust-example-kafka-event': {
    processed: [],
    deadLettered: { 'AWSKafkaTopic-0@0': /^value is not valid JSON at position 1/ },
  },
  'pt-ts-parser-kafka-base': { processed: [], deadLettered: { 'mytopic-0@15': NOT_A_CLOUDEVENT } },
  'pt-ts-kafka-default': {
    processed: [],
    deadLettered: {
      'mytopic-0@15': NOT_A_CLOUDEVENT,
      'mytopic-0@16': NOT_A_CLOUDEVENT,
      'mytopic-0@17': NOT_A_CLOUDEVENT,
    },
  },
  // Avro without schema metadata: binary, so not UTF-8 text.
  'pt-ts-kafka-avro': {
    processed: [],
    deadLettered: {
      'mytopic-0@15': /^value is not valid UTF-8$/,
      'mytopic-0@16': /^value is not valid UTF-8$/,
      'mytopic-0@17': /^value is not valid UTF-8$/,
    },
  },
  'pt-ts-kafka-protobuf': {
    processed: [],
    deadLettered: {
      'mytopic-0@15': NOT_UTF8_PROTOBUF,
      'mytopic-0@16': NOT_UTF8_PROTOBUF,
      'mytopic-0@17': NOT_UTF8_PROTOBUF,
    },
  },
  'pt-ts-kafka-protobuf-complex-confluent': {
    processed: [],
    deadLettered: Object.fromEntries(
      [4209910, 4209911, 4209912, 4209913].map((offset) => [
        `confluent_proto-0@${offset}`,
        NOT_JSON_PROTOBUF,
      ]),
    ),
  },
  'pt-ts-kafka-protobuf-complex-glue': {
    processed: [],
    deadLettered: { 'gsr_proto-0@18': NOT_JSON_PROTOBUF },
  },
  // Its records key is `orders-topic`, with no partition; the record's own partition is used.
  'pt-ts-kafka-snippet-schema-metadata': {
    processed: [],
    deadLettered: { 'orders-topic-0@15': NOT_A_CLOUDEVENT },
  },
  'pt-py-kafka-event-msk': { processed: [], deadLettered: { 'mytopic-0@15': NOT_A_CLOUDEVENT } },
  // eventSource `aws:SelfManagedKafka`, as Powertools Python spells it.
  'pt-py-kafka-event-self-managed': { processed: [], deadLettered: { 'mytopic-0@15': NOT_A_CLOUDEVENT } },
  'ours-msk-multi-partition': {
    processed: ['ext-msk-1', 'ext-msk-2', 'ext-msk-3', 'ext-msk-4'],
    deadLettered: {},
  },
  'ours-self-managed-multi-partition': {
    processed: ['ext-sm-1', 'ext-sm-2'],
    deadLettered: { 'payments.eu-west-1-1@5': /^tombstone: / },
  },
};

const NOT_OURS_TEXT = /^retry queue message is not JSON$/;
const NOT_OURS_JSON = /^not a retry message or dead letter: kind: Invalid discriminator value/;

const SQS: Record<string, Expected> = {
  'go-sqs-event': { processed: [], deadLettered: { MessageID_1: NOT_OURS_TEXT } },
  'rust-example-sqs-event': { processed: [], deadLettered: { MessageID_1: NOT_OURS_TEXT } },
  'rust-example-sqs-event-obj': { processed: [], deadLettered: { MessageID_1: NOT_OURS_JSON } },
  'pt-ts-parser-sqs-base': {
    processed: [],
    deadLettered: {
      '059f36b4-87a3-44ab-83d2-661975830a7d': NOT_OURS_TEXT,
      '2e1424d4-f796-459a-8184-9c92662be6da': NOT_OURS_JSON,
    },
  },
  'pt-py-sqs-event': {
    processed: [],
    deadLettered: {
      '059f36b4-87a3-44ab-83d2-661975830a7d': NOT_OURS_TEXT,
      '2e1424d4-f796-459a-8184-9c92662be6da': NOT_OURS_JSON,
    },
  },
  'ours-sqs-retry-message': { processed: ['ext-sqs-1'], deadLettered: {} },
};

const settings = pipelineSettings({ recordConcurrency: 4 });

function harness() {
  const processed: string[] = [];
  const deps = recordingPorts(async (event) => {
    processed.push(event.id);
  });
  const { deadLetters, retryQueue } = deps;
  const powertools = createPowertools(
    { serviceName: 'eventpipe-test', metricsNamespace: 'EventPipeTest', logLevel: 'SILENT' },
    'external-events',
  );
  return { deps, powertools, processed, deadLetters, retryQueue };
}

interface FixtureRecord {
  topic: string;
  partition: number;
  offset: number;
  key?: string | null;
  value: string | null;
}

const reasonOf = (letter: DeadLetter) => letter.failure.message;

describe('external event shapes', () => {
  it('lists every fixture in the folder, so none is left untested', () => {
    const dir = join(import.meta.dirname, '../../../fixtures/events/external');
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(files.map((name) => name.replace(/\.json$/, '')).sort()).toEqual(
      [...Object.keys(KAFKA), ...Object.keys(SQS)].sort(),
    );
  });

  describe.each(Object.entries(KAFKA))('Kafka: %s', (name, expected) => {
    it('settles each record exactly once: processed, or dead-lettered with its reason and payload', async () => {
      // Prepare
      const event = loadEvent<{ records: Record<string, FixtureRecord[]> }>('external', name);
      const records = Object.values(event.records).flat();
      const { deps, powertools, processed, deadLetters, retryQueue } = harness();
      const handler = createKafkaConsumerHandler({ deps, settings, ...powertools });
      // Act
      await handler(event, localContext({ functionName: 'kafka-consumer', timeoutMs: 30_000 }));
      // Assess
      expect([...processed].sort()).toEqual([...expected.processed].sort());
      expect(retryQueue.scheduled).toEqual([]);
      const lettered = Object.fromEntries(
        deadLetters.letters.map((l) => [`${l.source.topic}-${l.source.partition}@${l.source.offset}`, l]),
      );
      expect(deadLetters.letters).toHaveLength(Object.keys(expected.deadLettered).length);
      expect(processed.length + deadLetters.letters.length).toBe(records.length);
      for (const [where, reason] of Object.entries(expected.deadLettered)) {
        const letter = lettered[where];
        const record = records.find((r) => `${r.topic}-${r.partition}@${r.offset}` === where);
        expect(letter && reasonOf(letter)).toMatch(reason);
        expect(letter?.raw?.valueBase64).toBe(record?.value ?? null);
        expect(letter?.source.keyBase64).toBe(record?.key ?? null);
      }
    });
  });

  it('reads signed header bytes as AWS sends them, and keeps binary ones as base64', async () => {
    // aws-lambda-go's kafka-event.json: headerKey [118,-36,0,127,-128] is not UTF-8 (0xdc is alone).
    const { deps, powertools, deadLetters } = harness();
    const handler = createKafkaConsumerHandler({ deps, settings, ...powertools });
    await handler(
      loadEvent('external', 'go-kafka-event'),
      localContext({ functionName: 'kafka-consumer', timeoutMs: 30_000 }),
    );
    const bytes = Buffer.from([118, 0xdc, 0, 127, 0x80]).toString('base64');
    expect(deadLetters.letters[0]?.source.headers).toEqual({ headerKey: `base64:${bytes}` });
  });

  describe.each(Object.entries(SQS))('SQS: %s', (name, expected) => {
    it('settles each message exactly once: processed, or dead-lettered whole with its reason', async () => {
      // Prepare
      const event = loadEvent<{ Records: { messageId: string; body: string }[] }>('external', name);
      const { deps, powertools, processed, deadLetters } = harness();
      const handler = createRetryWorkerHandler({ deps, settings, ...powertools });
      // Act
      const response = await handler(
        event,
        localContext({ functionName: 'retry-worker', timeoutMs: 30_000 }),
      );
      // Assess: nothing reported back (no loop), every body kept whole in its dead letter
      expect(response).toEqual({ batchItemFailures: [] });
      expect([...processed].sort()).toEqual([...expected.processed].sort());
      expect(deadLetters.letters).toHaveLength(Object.keys(expected.deadLettered).length);
      expect(processed.length + deadLetters.letters.length).toBe(event.Records.length);
      for (const [messageId, reason] of Object.entries(expected.deadLettered)) {
        const body = event.Records.find((r) => r.messageId === messageId)?.body ?? '';
        const letter = deadLetters.letters.find(
          (l) => l.raw?.valueBase64 === Buffer.from(body).toString('base64'),
        );
        expect(letter && reasonOf(letter)).toMatch(reason);
        expect(letter?.failure).toMatchObject({ stage: 'decode', errorName: 'DecodeError' });
      }
    });
  });

  it('refuses, whole, an event that is not from SQS: the worker is wired to something else', async () => {
    const { deps, powertools, processed, deadLetters } = harness();
    const handler = createRetryWorkerHandler({ deps, settings, ...powertools });
    const context = localContext({ functionName: 'retry-worker', timeoutMs: 30_000 });
    const kafka = handler(loadEvent('external', 'aws-guide-msk'), context);
    await expect(kafka).rejects.toThrow(/Records/);
    const sns = {
      Records: [
        {
          ...loadEvent<{ Records: object[] }>('external', 'go-sqs-event').Records[0],
          eventSource: 'aws:sns',
        },
      ],
    };
    await expect(handler(sns, context)).rejects.toThrow(/aws:sqs/);
    expect(processed).toEqual([]);
    expect(deadLetters.letters).toEqual([]);
  });
});
