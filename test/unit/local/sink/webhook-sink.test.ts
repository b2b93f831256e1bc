import { describe, expect, it } from 'vitest';
import { isPermanentFailure } from '../../../../local/sink/webhook-sink.ts';

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
