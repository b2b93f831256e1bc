import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '#shared/adapters/http-processor.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-24T19:00:00Z');
  it.each([
    ['120', 120],
    [' 7 ', 7],
    ['Tue, 24 Nov 2026 19:01:30 GMT', 90],
    ['Tue, 24 Nov 2026 18:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('reads %s as %s seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});
