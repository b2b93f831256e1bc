import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isPermanentFailure, WebhookSink } from '../../../../local/sink/webhook-sink.ts';

describe('isPermanentFailure', () => {
  it('decides by event id, the same way every time, at about the asked rate', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `run-${i}`);
    const rejected = ids.filter((id) => isPermanentFailure(id, 0.01));
    expect(rejected.length).toBeGreaterThan(150);
    expect(rejected.length).toBeLessThan(250);
    expect(ids.filter((id) => isPermanentFailure(id, 0.01))).toEqual(rejected);
    expect(ids.some((id) => isPermanentFailure(id, 0))).toBe(false);
  });
});

describe('WebhookSink', () => {
  it('does not record a delivery whose caller gave up while the sink was slow', async () => {
    // The caller gives up only once the sink holds its request (not after a fixed time, which a
    // loaded machine can spend before the request even arrives), and well before the sink answers.
    const sink = new WebhookSink({ latencyMs: 1_500 });
    const url = await sink.start();
    try {
      const post = (id: string, signal: AbortSignal) =>
        fetch(`${url}/events/order.placed`, {
          method: 'POST',
          body: JSON.stringify({ id, type: 'order.placed' }),
          signal,
        });
      const caller = new AbortController();
      const gaveUp = post('gave-up', caller.signal);
      while (sink.stats.requests === 0) await sleep(5);
      caller.abort();
      await expect(gaveUp).rejects.toThrow();
      expect((await post('waited', AbortSignal.timeout(10_000))).status).toBe(200);
      await sleep(100);
      expect([...sink.deliveries.keys()]).toEqual(['waited']);
      expect(sink.stats.abandoned).toBe(1);
    } finally {
      await sink.stop();
    }
  });
});
