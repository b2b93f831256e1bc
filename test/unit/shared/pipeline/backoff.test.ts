import { describe, expect, it } from 'vitest';
import { backoffSeconds } from '#shared/pipeline/backoff.ts';

const policy = { backoffBaseSeconds: 10, backoffCapSeconds: 3_600 };

describe('backoffSeconds', () => {
  it.each([
    [1, 10],
    [2, 20],
    [3, 40],
    [9, 2_560],
    [10, 3_600],
    [30, 3_600],
  ])('after attempt %i draws from [1, %i] (full jitter, capped)', (attempt, ceiling) => {
    expect(backoffSeconds(attempt, policy, () => 0)).toBe(1);
    expect(backoffSeconds(attempt, policy, () => 0.999_999)).toBe(ceiling - 1);
    expect(backoffSeconds(attempt, policy, () => 0.5)).toBe(Math.floor(ceiling / 2));
  });

  it('honours a Retry-After as the least delay', () => {
    expect(backoffSeconds(1, policy, () => 0, 120)).toBe(120);
  });

  it('never exceeds the cap, even for a long Retry-After', () => {
    expect(backoffSeconds(1, policy, () => 0, 100_000)).toBe(3_600);
  });

  it('never exceeds the 12-hour visibility limit of SQS', () => {
    expect(
      backoffSeconds(40, { backoffBaseSeconds: 900, backoffCapSeconds: 43_200 }, () => 0.999_999, 50_000),
    ).toBe(43_200);
  });
});
