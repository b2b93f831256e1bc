import { describe, expect, it } from 'vitest';
import { reconnectUntilStopped } from '../../../../local/esm/reconnect.ts';

const BASE_MS = 40;
const CAP_MS = 200;

describe('reconnectUntilStopped', () => {
  it('waits base, then doubles up to the cap between attempts, and reports each failure', async () => {
    // Prepare: the broker answers at the sixth attempt; the first failure is a TypeError
    const started = performance.now();
    const attemptsAt: number[] = [];
    const failures: string[] = [];
    let connectedAfter = 0;
    const connect = async () => {
      attemptsAt.push(performance.now() - started);
      if (attemptsAt.length === 1) throw new TypeError('a client bug, still retried');
      if (attemptsAt.length < 6) throw new Error('ECONNREFUSED');
    };
    // Act
    const connected = await reconnectUntilStopped(connect, {
      signal: new AbortController().signal,
      baseMs: BASE_MS,
      capMs: CAP_MS,
      onAttemptFailed: (attempt, error) => failures.push(`${attempt}: ${error.message}`),
      onConnected: (attempts) => {
        connectedAfter = attempts;
      },
    });
    // Assess: waits of 40, 80, 160, 200, 200 ms (timers fire late, never early)
    expect(connected).toBe(true);
    expect(connectedAfter).toBe(6);
    expect(failures).toEqual([
      '1: a client bug, still retried',
      '2: ECONNREFUSED',
      '3: ECONNREFUSED',
      '4: ECONNREFUSED',
      '5: ECONNREFUSED',
    ]);
    const gaps = attemptsAt.map((at, i) => at - (attemptsAt[i - 1] ?? 0));
    const expected = [BASE_MS, 2 * BASE_MS, 4 * BASE_MS, CAP_MS, CAP_MS, CAP_MS];
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual((expected[i] ?? 0) - 2);
      expect(gap).toBeLessThan((expected[i] ?? 0) + 150);
    });
  });

  it('stops trying when the signal aborts, without connecting', async () => {
    const stop = new AbortController();
    let attempts = 0;
    const connecting = reconnectUntilStopped(
      async () => {
        attempts++;
        throw new Error('ECONNREFUSED');
      },
      { signal: stop.signal, baseMs: BASE_MS, capMs: CAP_MS },
    );
    setTimeout(() => stop.abort(), BASE_MS * 4);
    expect(await connecting).toBe(false);
    const attemptsAtStop = attempts;
    await new Promise((resolve) => setTimeout(resolve, CAP_MS * 2));
    expect(attempts).toBe(attemptsAtStop);
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(
      await reconnectUntilStopped(async () => undefined, { signal: stop.signal, baseMs: 1, capMs: 1 }),
    ).toBe(false);
  });
});
