import { describe, expect, it } from 'vitest';
import { loadLocalSettings } from '../../../local/local-settings.ts';

describe('loadLocalSettings', () => {
  it('takes cdk.json settings, then the environment JSON, then explicit overrides', () => {
    const fromCdk = loadLocalSettings({}, {});
    expect(fromCdk.topic).toBe('orders');
    expect(fromCdk.batchSize).toBe(500);
    const fromEnv = loadLocalSettings({}, { EVENTPIPE_LOCAL_SETTINGS: '{"topic":"t-env","batchSize":50}' });
    expect([fromEnv.topic, fromEnv.batchSize]).toEqual(['t-env', 50]);
    const overridden = loadLocalSettings({ batchSize: 7 }, { EVENTPIPE_LOCAL_SETTINGS: '{"batchSize":50}' });
    expect(overridden.batchSize).toBe(7);
  });

  it('names the variable when its JSON is broken, and validates the result like the stack does', () => {
    expect(() => loadLocalSettings({}, { EVENTPIPE_LOCAL_SETTINGS: '{oops' })).toThrow(
      'invalid configuration: EVENTPIPE_LOCAL_SETTINGS: must be a JSON object of settings',
    );
    expect(() => loadLocalSettings({ batchSize: 20_000 }, {})).toThrow(/batchSize: Too big/);
  });
});
