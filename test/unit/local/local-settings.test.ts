import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLocalSettings, localIngestToken } from '../../../local/local-settings.ts';

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

  it('merges layers deeply: overriding retryWorker.timeoutSeconds keeps the other retryWorker keys', () => {
    // Prepare: the environment layer sets two retryWorker keys, the CLI layer one of them
    const env = { EVENTPIPE_LOCAL_SETTINGS: '{"retryWorker":{"timeoutSeconds":30,"concurrency":7}}' };

    // Act
    const settings = loadLocalSettings({ retryWorker: { timeoutSeconds: 45 } }, env);

    // Assess
    expect(settings.retryWorker).toEqual({
      timeoutSeconds: 45,
      concurrency: 7,
      memoryMb: 512,
      batchSize: 10,
    });
    expect(settings.routes).toHaveProperty('order.placed');
  });

  it('replaces the source when a layer switches its kind, instead of mixing two variants', () => {
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:kafka-abc';
    const source = { kind: 'self-managed' as const, bootstrapServers: ['127.0.0.1:9092'], secretArn };
    expect(loadLocalSettings({ source }, {}).source).toEqual({ ...source, auth: 'sasl-scram-512' });
  });
});

describe('localIngestToken', () => {
  it('takes the environment first, else keeps one random token in an owner-only file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ingest-token-')), 'ingest-token');
    expect(localIngestToken({ EVENTPIPE_LOCAL_INGEST_TOKEN: 'from-env' }, file)).toBe('from-env');
    const made = localIngestToken({}, file);
    expect(made).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(localIngestToken({}, file)).toBe(made);
  });
});
