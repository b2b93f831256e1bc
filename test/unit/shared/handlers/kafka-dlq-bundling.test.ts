import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../../../local/services/constants.ts';

/** The packages only the Kafka dead-letter producer needs. */
const KAFKA_DLQ_PACKAGES = ['@platformatic/kafka', 'aws-msk-iam-sasl-signer-js'];
const ENTRIES = ['functions/kafka-consumer/handler.ts', 'functions/retry-worker/handler.ts'];

/** The packages each function's bundle takes in, both functions bundled in one esbuild run. */
async function bundledPackages(define: Record<string, string>): Promise<Map<string, Set<string>>> {
  const result = await build({
    entryPoints: ENTRIES.map((entry) => join(PROJECT_ROOT, entry)),
    absWorkingDir: PROJECT_ROOT,
    outdir: join(PROJECT_ROOT, '.local', 'test-bundles'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: ['@aws-sdk/*'],
    define,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const byEntry = new Map<string, Set<string>>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const packages = new Set<string>();
    for (const path of Object.keys(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      if (match?.[1]) packages.add(match[1]);
    }
    byEntry.set(output.entryPoint, packages);
  }
  return byEntry;
}

describe('bundling the functions', () => {
  it('leaves the Kafka dead-letter producer out when the stack defines EVENTPIPE_BUNDLE_KAFKA_DLQ false', async () => {
    const bundles = await bundledPackages({ 'globalThis.EVENTPIPE_BUNDLE_KAFKA_DLQ': 'false' });
    expect([...bundles.keys()].sort()).toEqual([...ENTRIES].sort());
    for (const packages of bundles.values()) {
      for (const name of KAFKA_DLQ_PACKAGES) expect(packages.has(name)).toBe(false);
      expect(packages.has('zod')).toBe(true);
    }
  });

  it('keeps it when the settings use a Kafka DLQ (define true) or nothing is defined', async () => {
    const defines: Record<string, string>[] = [{ 'globalThis.EVENTPIPE_BUNDLE_KAFKA_DLQ': 'true' }, {}];
    for (const define of defines) {
      for (const packages of (await bundledPackages(define)).values()) {
        for (const name of KAFKA_DLQ_PACKAGES) expect(packages.has(name)).toBe(true);
      }
    }
    // Four full bundles with the Kafka client: over vitest's 5 s default on a loaded 2-core machine.
  }, 30_000);
});

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
