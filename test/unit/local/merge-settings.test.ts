import { describe, expect, it } from 'vitest';
import { mergeSettings } from '../../../local/merge-settings.ts';

describe('mergeSettings', () => {
  it('merges nested objects key by key, later layers winning', () => {
    expect(
      mergeSettings({ a: 1, nested: { x: 1, y: 2 } }, undefined, { nested: { y: 3 } }, { nested: { z: 4 } }),
    ).toEqual({ a: 1, nested: { x: 1, y: 3, z: 4 } });
  });

  it('replaces arrays and scalars whole, and skips undefined values', () => {
    expect(mergeSettings({ list: [1, 2], n: 1 }, { list: [3], n: undefined })).toEqual({ list: [3], n: 1 });
  });

  it('replaces an object whose kind differs instead of mixing two variants', () => {
    expect(
      mergeSettings({ source: { kind: 'msk', clusterArn: 'arn' } }, { source: { kind: 'x', b: 1 } }),
    ).toEqual({ source: { kind: 'x', b: 1 } });
    expect(mergeSettings({ source: { kind: 'msk', auth: 'iam' } }, { source: { auth: 'scram' } })).toEqual({
      source: { kind: 'msk', auth: 'scram' },
    });
  });
});
