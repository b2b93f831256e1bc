import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../../../local/services/constants.ts';

/** The packages only the Kafka dead-letter producer needs. */
const KAFKA_DLQ_PACKAGES = ['@platformatic/kafka', 'aws-msk-iam-sasl-signer-js'];

async function bundledPackages(entry: string, define: Record<string, string>): Promise<Set<string>> {
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    external: ['@aws-sdk/*'],
    define,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const packages = new Set<string>();
  for (const path of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    if (match?.[1]) packages.add(match[1]);
  }
  return packages;
}

describe.each(['functions/kafka-consumer/handler.ts', 'functions/retry-worker/handler.ts'])(
  'bundling %s',
  (entry) => {
    it('leaves the Kafka dead-letter producer out when the stack defines EVENTPIPE_BUNDLE_KAFKA_DLQ false', async () => {
      const packages = await bundledPackages(entry, { 'globalThis.EVENTPIPE_BUNDLE_KAFKA_DLQ': 'false' });
      for (const name of KAFKA_DLQ_PACKAGES) expect(packages.has(name)).toBe(false);
      expect(packages.has('zod')).toBe(true);
    });

    it('keeps it when the settings use a Kafka DLQ (define true) or nothing is defined', async () => {
      const defines: Record<string, string>[] = [{ 'globalThis.EVENTPIPE_BUNDLE_KAFKA_DLQ': 'true' }, {}];
      for (const define of defines) {
        const packages = await bundledPackages(entry, define);
        for (const name of KAFKA_DLQ_PACKAGES) expect(packages.has(name)).toBe(true);
      }
    });
  },
);

describe('buildPipelineDependencies in a bundle without the Kafka dead-letter producer', () => {
  const flags = globalThis as { EVENTPIPE_BUNDLE_KAFKA_DLQ?: boolean };
  afterEach(() => {
    delete flags.EVENTPIPE_BUNDLE_KAFKA_DLQ;
    vi.resetModules();
  });

  it('fails at cold start, saying why, when the configuration asks for a Kafka DLQ', async () => {
    // Prepare: what esbuild's define does to the bundle, done to a fresh module instance
    flags.EVENTPIPE_BUNDLE_KAFKA_DLQ = false;
    vi.resetModules();
    const { buildPipelineDependencies } = await import('#shared/handlers/pipeline-dependencies.ts');
    const { loadRuntimeConfig } = await import('#shared/config/runtime-config.ts');
    const config = loadRuntimeConfig({
      AWS_REGION: 'eu-west-1',
      EVENTPIPE_RETRY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/retry',
      EVENTPIPE_DLQ_TARGET: 'kafka',
      EVENTPIPE_KAFKA_BROKERS: 'b-1:9092',
    });
    const registry = {
      'order.placed': { dataSchema: (await import('zod')).unknown(), process: async () => undefined },
    };
    const sqs = { send: async () => ({}) } as never;
    // Act and assess
    expect(() => buildPipelineDependencies(config, registry, sqs)).toThrow(
      'EVENTPIPE_DLQ_TARGET=kafka: this function was bundled without the Kafka dead-letter producer: deploy with a Kafka DLQ target in the settings',
    );
  });
});
