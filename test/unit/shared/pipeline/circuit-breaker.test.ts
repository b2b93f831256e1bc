import { describe, expect, it } from 'vitest';
import { eventTypes } from '#shared/events/index.ts';
import { CircuitBreaker, CircuitOpenError } from '#shared/pipeline/circuit-breaker.ts';
import { PermanentError, TransientError } from '#shared/pipeline/errors.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { validateEvent } from '#shared/pipeline/validate.ts';
import { kafkaCoordinates, orderPlaced } from '../../../fixtures/factories.ts';

const event = validateEvent(orderPlaced('cb-1'), eventTypes);
const context = {
  signal: new AbortController().signal,
  idempotencyKey: 'cb-1',
  attempt: 1,
  source: kafkaCoordinates({ topic: 't', offset: 0, timestamp: 0 }),
};

function harness(outcome: { current: 'ok' | 'transient' | 'permanent' }) {
  let now = 0;
  let calls = 0;
  const changes: string[] = [];
  const downstream: Processor = async () => {
    calls++;
    if (outcome.current === 'transient') throw new TransientError('HTTP 503');
    if (outcome.current === 'permanent') throw new PermanentError('HTTP 400');
  };
  const breaker = new CircuitBreaker(
    'https://orders.example.com/hooks',
    { failureThreshold: 3, openSeconds: 30 },
    {
      now: () => now,
      onChange: (_route, from, to) => changes.push(`${from}→${to}`),
    },
  );
  const call = breaker.wrap(downstream);
  return {
    breaker,
    changes,
    calls: () => calls,
    advance: (ms: number) => {
      now += ms;
    },
    run: () =>
      call(event, context).then(
        () => 'ok',
        (error: Error) => error,
      ),
  };
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive transient failures and stops calling the downstream', async () => {
    const outcome = { current: 'transient' as 'ok' | 'transient' | 'permanent' };
    const h = harness(outcome);
    for (let i = 0; i < 3; i++) expect(await h.run()).toBeInstanceOf(TransientError);
    expect(h.breaker.state).toBe('open');
    const blocked = await h.run();
    expect(blocked).toBeInstanceOf(CircuitOpenError);
    expect((blocked as CircuitOpenError).retryAfterSeconds).toBe(30);
    expect(h.calls()).toBe(3);
    h.advance(10_000);
    expect(((await h.run()) as CircuitOpenError).retryAfterSeconds).toBe(20);
    expect(h.calls()).toBe(3);
  });

  it('lets one probe through after the open period: success closes, failure reopens', async () => {
    const outcome = { current: 'transient' as 'ok' | 'transient' | 'permanent' };
    const h = harness(outcome);
    for (let i = 0; i < 3; i++) await h.run();
    h.advance(30_000);
    expect(await h.run()).toBeInstanceOf(TransientError); // the probe failed
    expect(h.breaker.state).toBe('open');
    expect(h.calls()).toBe(4);
    h.advance(30_000);
    outcome.current = 'ok';
    expect(await h.run()).toBe('ok');
    expect(h.breaker.state).toBe('closed');
    expect(h.changes).toEqual([
      'closed→open',
      'open→half-open',
      'half-open→open',
      'open→half-open',
      'half-open→closed',
    ]);
  });

  it('counts only consecutive failures, and a permanent error as an answer from a healthy downstream', async () => {
    const outcome = { current: 'transient' as 'ok' | 'transient' | 'permanent' };
    const h = harness(outcome);
    await h.run();
    await h.run();
    outcome.current = 'permanent';
    expect(await h.run()).toBeInstanceOf(PermanentError);
    outcome.current = 'transient';
    await h.run();
    await h.run();
    expect(h.breaker.state).toBe('closed');
  });

  it('keeps an open circuit open when a call admitted before it opened succeeds late', async () => {
    // Prepare: one slow call is admitted while the circuit is closed, then the circuit opens
    let now = 0;
    let release = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const breaker = new CircuitBreaker(
      'https://orders.example.com/hooks',
      { failureThreshold: 3, openSeconds: 30 },
      { now: () => now },
    );
    const slowCall = breaker.wrap(() => slow)(event, context);
    const failing = breaker.wrap(async () => {
      throw new TransientError('HTTP 503');
    });
    for (let i = 0; i < 3; i++) await failing(event, context).catch(() => undefined);
    expect(breaker.state).toBe('open');

    // Act: the stale call succeeds after the circuit opened
    now += 1_000;
    release();
    await slowCall;

    // Assess: its success says nothing about the downstream now
    expect(breaker.state).toBe('open');
    expect(
      await breaker
        .wrap(async () => undefined)(event, context)
        .catch((error) => error),
    ).toBeInstanceOf(CircuitOpenError);
  });
});
