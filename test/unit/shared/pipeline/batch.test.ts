import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runByKey } from '#shared/pipeline/batch.ts';

interface Item {
  key: string | null;
  offset: number;
}

describe('runByKey', () => {
  it('runs each key in order while different keys overlap, within the concurrency bound', async () => {
    // Prepare: keys interleaved as they would be in a partition
    const items: Item[] = Array.from({ length: 24 }, (_, offset) => ({ key: `k${offset % 4}`, offset }));
    const started: Item[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const inFlightByKey = new Map<string | null, number>();
    // Act
    await runByKey(
      items,
      (item) => item.key,
      3,
      async (item) => {
        started.push(item);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        inFlightByKey.set(item.key, (inFlightByKey.get(item.key) ?? 0) + 1);
        expect(inFlightByKey.get(item.key)).toBe(1);
        await sleep(5);
        inFlightByKey.set(item.key, (inFlightByKey.get(item.key) ?? 0) - 1);
        inFlight--;
      },
    );
    // Assess
    expect(started).toHaveLength(24);
    for (const key of ['k0', 'k1', 'k2', 'k3']) {
      const offsets = started.filter((item) => item.key === key).map((item) => item.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    expect(maxInFlight).toBe(3);
  });

  it('runs null-keyed items independently', async () => {
    const items: Item[] = Array.from({ length: 6 }, (_, offset) => ({ key: null, offset }));
    let inFlight = 0;
    let maxInFlight = 0;
    await runByKey(
      items,
      (item) => item.key,
      6,
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(5);
        inFlight--;
      },
    );
    expect(maxInFlight).toBe(6);
  });

  it('hands every item not started once mayStart says no to onSkipped', async () => {
    const items: Item[] = Array.from({ length: 10 }, (_, offset) => ({ key: 'same', offset }));
    const ran: number[] = [];
    const skipped: number[] = [];
    await runByKey(
      items,
      (item) => item.key,
      4,
      async (item) => {
        ran.push(item.offset);
      },
      () => ran.length < 3,
      (item) => skipped.push(item.offset),
    );
    expect(ran).toEqual([0, 1, 2]);
    expect(skipped).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });
});
