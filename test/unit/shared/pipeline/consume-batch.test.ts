import { describe, expect, it } from 'vitest';
import type { PipelineSettings } from '#shared/config/runtime-config.ts';
import type { ValidEvent } from '#shared/events/envelope.ts';
import { CircuitOpenError } from '#shared/pipeline/circuit-breaker.ts';
import { consumeBatch, type RecordOutcome } from '#shared/pipeline/consume-batch.ts';
import { HandOffError, PermanentError, TransientError } from '#shared/pipeline/errors.ts';
import type { KafkaEvent } from '#shared/pipeline/kafka-event.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { kafkaEvent, kafkaRecord, orderPlaced } from '../../../fixtures/factories.ts';
import { loadEvent } from '../../../fixtures/load-event.ts';
import { DEPLOYMENT_BACKOFF, pipelineSettings, recordingPorts } from '../../../fixtures/ports.ts';

const NOW = Date.parse('2026-11-24T18:30:00.000Z');
const settings = pipelineSettings({
  ...DEPLOYMENT_BACKOFF,
  recordConcurrency: 4,
  deadlineMarginMs: 1_000,
  maxAttempts: 5,
});

/** e-201 fails transiently (503 with Retry-After 30), e-205 permanently, the rest succeed. */
const scriptedProcessor: Processor = async (event) => {
  if (event.id === 'e-201')
    throw new TransientError('HTTP 503 from https://hooks.example.com/orders', { retryAfterSeconds: 30 });
  if (event.id === 'e-205') throw new PermanentError('HTTP 400 from https://hooks.example.com/payments');
};

function run(
  event: KafkaEvent,
  processor: Processor = scriptedProcessor,
  overrides: Partial<PipelineSettings> = {},
) {
  const ports = recordingPorts(processor);
  const settingsOfRun = { ...settings, ...overrides };
  const result = consumeBatch(event, () => 60_000, {
    ...ports,
    settings: settingsOfRun,
    now: () => NOW,
    random: () => 0.5,
  });
  return { result, retryQueue: ports.retryQueue, deadLetters: ports.deadLetters };
}

function outcomeTable(outcomes: readonly RecordOutcome[]) {
  return outcomes
    .map((o) => {
      const c = o.kind === 'dead-letter' ? o.coordinates : o.record.coordinates;
      const error = o.kind === 'retry' || o.kind === 'dead-letter' ? (o.error as Error) : undefined;
      return `${c.partition}:${c.offset} ${o.kind}${error ? ` ${error.name}: ${error.message}` : ''}`;
    })
    .sort();
}

describe.each(['msk', 'self-managed'] as const)('consumeBatch on a mixed %s batch', (source) => {
  it('settles every record exactly once, with the outcome its content calls for', async () => {
    // Prepare
    const event = loadEvent<KafkaEvent>(source, 'mixed-batch');
    // Act
    const { result } = run(event);
    // Assess
    expect(outcomeTable(await result)).toEqual([
      '0:100 processed',
      '0:101 processed',
      '0:102 dead-letter DecodeError: tombstone: the record has a null value (a deletion marker), not an event',
      '0:103 dead-letter DecodeError: value is not valid base64',
      '0:104 dead-letter DecodeError: value is not valid JSON (28 bytes)',
      '0:105 dead-letter DecodeError: value is not valid UTF-8',
      '1:200 processed',
      '1:201 retry TransientError: HTTP 503 from https://hooks.example.com/orders',
      '1:202 dead-letter ValidationError: unknown event type "order.cancelled"',
      expect.stringMatching(
        /^1:203 dead-letter ValidationError: data does not match order.placed: currency: .*total: total must equal/,
      ),
      expect.stringMatching(/^1:204 dead-letter ValidationError: invalid envelope: specversion: .*source: /),
      '1:205 dead-letter PermanentError: HTTP 400 from https://hooks.example.com/payments',
    ]);
  });

  it('writes the retry message with the event, its coordinates and the Retry-After as delay', async () => {
    const { result, retryQueue } = run(loadEvent<KafkaEvent>(source, 'mixed-batch'));
    await result;
    expect(retryQueue.scheduled).toHaveLength(1);
    const [retry] = retryQueue.scheduled;
    expect(retry?.delaySeconds).toBe(30);
    expect(retry?.message).toEqual({
      kind: 'eventpipe.retry/v1',
      event: expect.objectContaining({ id: 'e-201', type: 'order.placed', specversion: '1.0' }),
      source: {
        topic: 'orders',
        partition: 1,
        offset: 201,
        timestamp: 1_764_007_200_201,
        timestampType: 'CREATE_TIME',
        key: null,
        keyBase64: null,
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      },
      attempts: 1,
      redriveCount: 0,
      failure: {
        stage: 'process',
        errorName: 'TransientError',
        message: 'HTTP 503 from https://hooks.example.com/orders',
        attempts: 1,
        firstFailureAt: '2026-11-24T18:30:00.000Z',
        lastFailureAt: '2026-11-24T18:30:00.000Z',
        redriveCount: 0,
      },
    });
  });

  it('writes dead letters with the raw record for undecodable input and the event otherwise', async () => {
    const event = loadEvent<KafkaEvent>(source, 'mixed-batch');
    const { result, deadLetters } = run(event);
    await result;
    const byOffset = new Map(deadLetters.letters.map((letter) => [letter.source.offset, letter]));
    expect([...byOffset.keys()].sort()).toEqual([102, 103, 104, 105, 202, 203, 204, 205]);
    expect(byOffset.get(104)).toEqual({
      kind: 'eventpipe.dead-letter/v1',
      event: null,
      raw: {
        keyBase64: Buffer.from('customer-3').toString('base64'),
        valueBase64: Buffer.from('{"specversion":"1.0", "id": ').toString('base64'),
      },
      source: expect.objectContaining({ topic: 'orders', partition: 0, offset: 104, key: 'customer-3' }),
      failure: {
        stage: 'decode',
        errorName: 'DecodeError',
        message: 'value is not valid JSON (28 bytes)',
        attempts: 1,
        firstFailureAt: '2026-11-24T18:30:00.000Z',
        lastFailureAt: '2026-11-24T18:30:00.000Z',
        redriveCount: 0,
      },
      oversized: false,
    });
    expect(byOffset.get(203)?.failure.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: ['data', 'currency'] })]),
    );
    expect(byOffset.get(205)).toMatchObject({
      event: { id: 'e-205', type: 'payment.captured' },
      raw: null,
      failure: { stage: 'process', errorName: 'PermanentError', attempts: 1 },
    });
  });
});

describe('consumeBatch', () => {
  it('throws HandOffError when the retry queue does not acknowledge, after dead-lettering the rest', async () => {
    // Prepare
    const ports = recordingPorts(scriptedProcessor, 'retry queue');
    // Act
    const act = consumeBatch(loadEvent<KafkaEvent>('msk', 'mixed-batch'), () => 60_000, {
      ...ports,
      settings,
    });
    // Assess
    await expect(act).rejects.toThrow(HandOffError);
    await expect(act).rejects.toThrow(/retry queue unavailable/);
    expect(ports.deadLetters.letters).toHaveLength(8);
  });

  it('throws HandOffError when the DLQ does not acknowledge', async () => {
    const ports = recordingPorts(scriptedProcessor, 'dead-letter queue');
    const act = consumeBatch(loadEvent<KafkaEvent>('msk', 'mixed-batch'), () => 60_000, {
      ...ports,
      settings,
    });
    await expect(act).rejects.toThrow(/dead-letter queue unavailable/);
  });

  it('dead-letters a transient failure at once when maxAttempts is 1', async () => {
    const { result, retryQueue, deadLetters } = run(
      loadEvent<KafkaEvent>('msk', 'mixed-batch'),
      scriptedProcessor,
      {
        maxAttempts: 1,
      },
    );
    await result;
    expect(retryQueue.scheduled).toHaveLength(0);
    expect(deadLetters.letters.find((l) => l.source.offset === 201)?.failure).toMatchObject({
      errorName: 'TransientError',
      attempts: 1,
    });
  });

  it('sends a short-circuited record to the retry queue with no attempt spent, even when maxAttempts is 1', async () => {
    // Prepare: the route's circuit is open, so the downstream is never called
    const openCircuit: Processor = async () => {
      throw new CircuitOpenError('https://hooks.example.com/orders', 20);
    };
    const { result, retryQueue, deadLetters } = run(
      kafkaEvent([kafkaRecord({ offset: 0, key: 'k', value: orderPlaced('e-open') })]),
      openCircuit,
      { maxAttempts: 1 },
    );
    // Act
    await result;
    // Assess: retried after the open period, budget untouched
    expect(deadLetters.letters).toHaveLength(0);
    expect(retryQueue.scheduled).toEqual([
      expect.objectContaining({
        delaySeconds: 20,
        message: expect.objectContaining({
          attempts: 0,
          failure: expect.objectContaining({ errorName: 'CircuitOpenError' }),
        }),
      }),
    ]);
  });

  it('defers records not started when the deadline nears to the retry queue, without a failure', async () => {
    // Prepare: 6 records of one key; the clock runs out after the second
    const records = Array.from({ length: 6 }, (_, offset) =>
      kafkaRecord({ offset, key: 'customer-1', value: orderPlaced(`d-${offset}`) }),
    );
    let remaining = 10_000;
    const processor: Processor = async () => {
      remaining -= 4_500;
    };
    const ports = recordingPorts(processor);
    const { retryQueue } = ports;
    // Act
    const outcomes = await consumeBatch(kafkaEvent(records), () => remaining, { ...ports, settings });
    // Assess: deferred is an outcome of its own, and its retry message carries no failure
    expect(outcomes.filter((o) => o.kind === 'processed')).toHaveLength(2);
    expect(outcomes.filter((o) => o.kind === 'deferred')).toHaveLength(4);
    expect(
      retryQueue.scheduled.map((r) => [
        r.message.event.id,
        r.message.attempts,
        r.delaySeconds,
        r.message.failure,
      ]),
    ).toEqual([
      ['d-2', 0, 0, undefined],
      ['d-3', 0, 0, undefined],
      ['d-4', 0, 0, undefined],
      ['d-5', 0, 0, undefined],
    ]);
  });

  it('ends a processor that ignores its deadline and schedules the record for retry', async () => {
    const hang: Processor = () => new Promise(() => undefined);
    const ports = recordingPorts(hang);
    const { retryQueue } = ports;
    const outcomes = await consumeBatch(
      kafkaEvent([kafkaRecord({ offset: 0, key: 'k', value: orderPlaced('h-1') })]),
      () => 1_100,
      { ...ports, settings },
    );
    expect(outcomes[0]?.kind).toBe('retry');
    expect(retryQueue.scheduled[0]?.message.failure?.errorName).toBe('DeadlineExceededError');
  });

  it('treats an unexpected processor error as transient, keeping its stack', async () => {
    const buggy: Processor = async () => {
      throw new RangeError('boom');
    };
    const { result, retryQueue } = run(
      kafkaEvent([kafkaRecord({ offset: 0, key: 'k', value: orderPlaced('b-1') })]),
      buggy,
    );
    await result;
    expect(retryQueue.scheduled[0]?.message.failure).toMatchObject({
      errorName: 'RangeError',
      message: 'boom',
    });
    expect(retryQueue.scheduled[0]?.message.failure?.stack).toContain('RangeError: boom');
  });

  it('dead-letters a record too large for the retry queue instead of losing it', async () => {
    const big = orderPlaced('big-1');
    const record = kafkaRecord({ offset: 0, key: 'k', value: { ...big, subject: 'x'.repeat(900) } });
    const failing: Processor = async () => {
      throw new TransientError('HTTP 503');
    };
    const { result, retryQueue, deadLetters } = run(kafkaEvent([record]), failing, {
      maxMessageBytes: 1_024,
    });
    await result;
    expect(retryQueue.scheduled).toHaveLength(0);
    expect(deadLetters.letters[0]).toMatchObject({
      event: { id: 'big-1' },
      failure: { errorName: 'TransientError' },
    });
  });

  it('dead-letters a deferred record too large for the retry queue, at the defer stage', async () => {
    // Prepare: the deadline has passed before the batch starts
    const big = orderPlaced('big-2');
    const record = kafkaRecord({ offset: 0, key: 'k', value: { ...big, subject: 'x'.repeat(900) } });
    const ports = recordingPorts();
    // Act
    const outcomes = await consumeBatch(kafkaEvent([record]), () => 500, {
      ...ports,
      settings: { ...settings, maxMessageBytes: 1_024 },
    });
    // Assess: deferred, never failed, yet not lost: dead-lettered saying why
    expect(outcomes.map((o) => o.kind)).toEqual(['deferred']);
    expect(ports.retryQueue.scheduled).toHaveLength(0);
    expect(ports.deadLetters.letters[0]).toMatchObject({
      event: { id: 'big-2' },
      failure: { stage: 'defer', attempts: 0, message: expect.stringContaining('over maxMessageBytes') },
    });
  });

  it('passes the event id as the idempotency key and the record coordinates to the processor', async () => {
    const seen: unknown[] = [];
    const processor: Processor = async (event: ValidEvent, context) => {
      seen.push({
        id: event.id,
        key: context.idempotencyKey,
        offset: context.source.offset,
        attempt: context.attempt,
      });
    };
    await run(kafkaEvent([kafkaRecord({ offset: 42, key: 'k', value: orderPlaced('i-1') })]), processor)
      .result;
    expect(seen).toEqual([{ id: 'i-1', key: 'i-1', offset: 42, attempt: 1 }]);
  });

  it('dead-letters a malformed record and processes its neighbours', async () => {
    const event = kafkaEvent([
      kafkaRecord({ offset: 0, key: 'k', value: orderPlaced('n-0') }),
      kafkaRecord({ offset: 2, key: 'k', value: orderPlaced('n-2') }),
    ]);
    (event.records['orders-0'] as unknown[]).splice(1, 0, {
      topic: 'orders',
      partition: 0,
      offset: 1,
      value: 42,
    });
    const { result, deadLetters } = run(event);
    expect(outcomeTable(await result)).toEqual([
      '0:0 processed',
      expect.stringMatching(/^0:1 dead-letter DecodeError: malformed Kafka record: /),
      '0:2 processed',
    ]);
    expect(deadLetters.letters[0]?.source.offset).toBe(1);
  });

  it('processes same-key records in offset order while different keys overlap', async () => {
    // Prepare: three keys interleaved over two partitions, a processor that takes 15 ms
    const keys = ['alice', 'bob', 'carol'];
    const records = Array.from({ length: 18 }, (_, offset) =>
      kafkaRecord({
        offset,
        partition: offset % 2,
        key: keys[offset % 3],
        value: orderPlaced(`k-${offset}`, keys[offset % 3]),
      }),
    );
    const spans: { key: string; partition: number; offset: number; start: number; end: number }[] = [];
    const slow: Processor = async (_event, context) => {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 15));
      const { key, partition, offset } = context.source;
      spans.push({ key: key ?? '', partition, offset, start, end: performance.now() });
    };
    // Act
    await run(kafkaEvent(records), slow, { recordConcurrency: 4 }).result;
    // Assess: per (partition, key) the offsets ran one after the other, in order
    const chains = new Map<string, typeof spans>();
    for (const span of [...spans].sort((a, b) => a.start - b.start)) {
      const chain = chains.get(`${span.partition}/${span.key}`) ?? [];
      chain.push(span);
      chains.set(`${span.partition}/${span.key}`, chain);
    }
    expect(chains.size).toBe(6);
    for (const chain of chains.values()) {
      expect(chain.map((s) => s.offset)).toEqual([...chain.map((s) => s.offset)].sort((a, b) => a - b));
      for (let i = 1; i < chain.length; i++)
        expect(chain[i]?.start).toBeGreaterThanOrEqual(chain[i - 1]?.end ?? 0);
    }
    // ...and different keys overlapped in time
    const overlapping = spans.some((a) =>
      spans.some((b) => a.key !== b.key && a.start < b.end && b.start < a.end),
    );
    expect(overlapping).toBe(true);
  });
});
