import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KAFKA_RETRY_BASE_MS, KAFKA_RETRY_CAP_MS } from '../../../../local/esm/constants.ts';
import { retryInvocation } from '../../../../local/esm/retry-invocation.ts';

const SCHEDULE = { baseMs: KAFKA_RETRY_BASE_MS, capMs: KAFKA_RETRY_CAP_MS };

/** An invocation that fails `failures` times (the first with a TypeError), recording when it ran. */
function flakyInvocation(failures: number) {
  const startedAt = Date.now();
  const attemptsAt: number[] = [];
  const invoke = async () => {
    attemptsAt.push(Date.now() - startedAt);
    if (attemptsAt.length === 1) throw new TypeError('handler bug');
    if (attemptsAt.length <= failures) throw new Error(`failure ${attemptsAt.length}`);
  };
  return { invoke, attemptsAt };
}

describe('retryInvocation (the Kafka emulator retrying a failed batch)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits 1 s, then doubles up to 30 s between attempts, like Lambda's Kafka event source", async () => {
    // Prepare: fails 8 times, a TypeError first (a handler bug is retried like any failure)
    const { invoke, attemptsAt } = flakyInvocation(8);
    // Act
    const result = retryInvocation(invoke, {
      ...SCHEDULE,
      signal: new AbortController().signal,
      retries: Number.POSITIVE_INFINITY,
    });
    await vi.runAllTimersAsync();
    // Assess
    expect(await result).toEqual({ outcome: 'succeeded' });
    const waits = attemptsAt.slice(1).map((at, i) => at - (attemptsAt[i] ?? 0));
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('gives up after the configured retries with the last failure, a TypeError as thrown', async () => {
    for (const { retries, attemptsAt, lastError } of [
      { retries: 0, attemptsAt: [0], lastError: new TypeError('handler bug') },
      { retries: 2, attemptsAt: [0, 1_000, 3_000], lastError: new Error('failure 3') },
    ]) {
      const invocation = flakyInvocation(Number.POSITIVE_INFINITY);
      const result = retryInvocation(invocation.invoke, {
        ...SCHEDULE,
        signal: new AbortController().signal,
        retries,
      });
      await vi.runAllTimersAsync();
      const settled = await result;
      expect(settled).toEqual({ outcome: 'failed', error: lastError });
      expect(settled.outcome === 'failed' && settled.error).toBeInstanceOf(lastError.constructor);
      expect(invocation.attemptsAt).toEqual(attemptsAt);
    }
  });

  it('stops during a wait without another attempt', async () => {
    const stop = new AbortController();
    const { invoke, attemptsAt } = flakyInvocation(Number.POSITIVE_INFINITY);
    const result = retryInvocation(invoke, {
      ...SCHEDULE,
      signal: stop.signal,
      retries: Number.POSITIVE_INFINITY,
    });
    await vi.advanceTimersByTimeAsync(1_500); // attempts at 0 and 1 s; now waiting 2 s
    stop.abort();
    await vi.runAllTimersAsync();
    expect(await result).toEqual({ outcome: 'stopped' });
    expect(attemptsAt).toEqual([0, 1_000]);
  });

  it('lets an invocation running at the stop finish: its success counts, its failure stops', async () => {
    // Prepare: invocations that take 5 s; the emulator stops 1 s into each
    const slow = (outcome: 'succeed' | 'fail') => async () => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      if (outcome === 'fail') throw new Error('failed while stopping');
    };
    for (const [outcome, expected] of [
      ['succeed', 'succeeded'],
      ['fail', 'stopped'],
    ] as const) {
      const stop = new AbortController();
      const invoke = vi.fn(slow(outcome));
      // Act
      const result = retryInvocation(invoke, {
        ...SCHEDULE,
        signal: stop.signal,
        retries: Number.POSITIVE_INFINITY,
      });
      await vi.advanceTimersByTimeAsync(1_000);
      stop.abort();
      await vi.runAllTimersAsync();
      // Assess: one invocation, finished; a success is committed, a failure is not retried
      expect(await result).toEqual({ outcome: expected });
      expect(invoke).toHaveBeenCalledTimes(1);
    }
  });

  it('still makes the first attempt when called after the stop (the second half of a bisected batch)', async () => {
    const stop = new AbortController();
    stop.abort();
    const invoke = vi.fn(async () => undefined);
    expect(await retryInvocation(invoke, { ...SCHEDULE, signal: stop.signal, retries: 0 })).toEqual({
      outcome: 'succeeded',
    });
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});
