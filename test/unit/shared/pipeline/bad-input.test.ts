import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '#shared/events/index.ts';
import { consumeBatch } from '#shared/pipeline/consume-batch.ts';
import type { KafkaEvent, KafkaRecord } from '#shared/pipeline/kafka-event.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { BAD_INPUT_CORPUS } from '../../../fixtures/bad-input/corpus.ts';
import { kafkaEvent, kafkaRecord, orderPlaced } from '../../../fixtures/factories.ts';
import { pipelineSettings, recordingPorts } from '../../../fixtures/ports.ts';

const settings = pipelineSettings({ recordConcurrency: 4 });

async function settle(event: KafkaEvent, processor: Processor = async () => undefined) {
  const ports = recordingPorts(processor);
  const outcomes = await consumeBatch(event, () => 60_000, { ...ports, settings });
  return { outcomes, deadLetters: ports.deadLetters, retryQueue: ports.retryQueue };
}

function prototypeKeys(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype].flatMap((proto) =>
    Object.getOwnPropertyNames(proto),
  );
}

describe('the bad-input corpus', () => {
  it.each(BAD_INPUT_CORPUS)('$name → $expected.outcome $expected.stage', async (badCase) => {
    // Prepare: the hostile record between two valid neighbours of the same key
    const before = prototypeKeys();
    const neighbour = (offset: number) =>
      kafkaRecord({ offset, key: 'k', value: orderPlaced(`neighbour-${offset}`) });
    const hostile: KafkaRecord = {
      ...kafkaRecord({ offset: 1, key: 'k', value: {} }),
      value: badCase.value,
      ...(badCase.key === undefined ? {} : { key: badCase.key }),
      headers: badCase.headers ?? [],
    };
    // Act
    const { outcomes, deadLetters } = await settle(kafkaEvent([neighbour(0), hostile, neighbour(2)]));
    // Assess: settled as expected, neighbours processed, nothing polluted
    const byOffset = new Map(
      outcomes.map((o) => [o.kind === 'dead-letter' ? o.coordinates.offset : o.record.coordinates.offset, o]),
    );
    expect(outcomes).toHaveLength(3);
    expect(byOffset.get(0)?.kind).toBe('processed');
    expect(byOffset.get(2)?.kind).toBe('processed');
    expect(byOffset.get(1)?.kind).toBe(badCase.expected.outcome);
    if (badCase.expected.outcome === 'dead-letter') {
      const [letter] = deadLetters.letters;
      expect(letter?.failure.stage).toBe(badCase.expected.stage);
      expect(letter?.failure.message).toContain(badCase.expected.messageIncludes ?? '');
    }
    expect(prototypeKeys()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('duplicate ids', () => {
  it('processes both records of a duplicated id, each with the id as its idempotency key', async () => {
    // Prepare: the same event twice (a producer retry), keyed differently, and once more later
    const seen: string[] = [];
    const event = kafkaEvent([
      kafkaRecord({ offset: 0, key: 'a', value: orderPlaced('dup') }),
      kafkaRecord({ offset: 1, key: 'b', value: orderPlaced('dup') }),
      kafkaRecord({ offset: 2, key: 'a', value: orderPlaced('other') }),
      kafkaRecord({ offset: 3, key: 'a', value: orderPlaced('dup') }),
    ]);
    // Act
    const { outcomes } = await settle(event, async (_, context) => {
      seen.push(context.idempotencyKey);
    });
    // Assess: at-least-once — the pipeline does not drop what it cannot prove is a duplicate;
    // the downstream deduplicates by the key
    expect(outcomes.map((o) => o.kind)).toEqual(['processed', 'processed', 'processed', 'processed']);
    expect(seen.filter((key) => key === 'dup')).toHaveLength(3);
  });
});

describe('arbitrary input (fast-check)', () => {
  const anyValue = fc.oneof(
    fc.constant(null),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    fc
      .jsonValue({ maxDepth: 4 })
      .map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64')),
    fc
      .record({
        specversion: fc.oneof(fc.constant('1.0'), fc.anything()),
        id: fc.anything(),
        source: fc.anything(),
        type: fc.oneof(fc.constantFrom(...Object.keys(eventTypes)), fc.string()),
        data: fc.anything(),
      })
      .map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64')),
  );
  const anyRecord = fc.record({
    value: anyValue,
    key: fc.option(
      fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('base64')),
      ),
      { nil: undefined },
    ),
    headers: fc.array(
      fc.dictionary(
        fc.string({ maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }),
        { maxKeys: 3 },
      ),
      { maxLength: 3 },
    ),
  });

  it('settles every record exactly once, never throws, processes every valid neighbour, pollutes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyRecord, { minLength: 1, maxLength: 20 }), async (records) => {
        const before = prototypeKeys();
        const all = records.flatMap((record, i) => [
          {
            ...kafkaRecord({ offset: 2 * i, partition: i % 3, key: `k${i % 4}`, value: {} }),
            ...record,
            ...(record.key === undefined ? { key: undefined } : {}),
          },
          kafkaRecord({
            offset: 2 * i + 1,
            partition: i % 3,
            key: `k${i % 4}`,
            value: orderPlaced(`valid-${i}`),
          }),
        ]);
        const { outcomes, retryQueue } = await settle(kafkaEvent(all));
        expect(outcomes).toHaveLength(all.length);
        const processed = new Set(
          outcomes.flatMap((o) => (o.kind === 'processed' ? [o.record.event.id] : [])),
        );
        for (let i = 0; i < records.length; i++) expect(processed.has(`valid-${i}`)).toBe(true);
        for (const outcome of outcomes) {
          if (outcome.kind === 'dead-letter')
            expect(['decode', 'validate']).toContain((outcome.error as { stage?: string }).stage);
        }
        expect(retryQueue.scheduled).toHaveLength(0);
        expect(prototypeKeys()).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});
