import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bundlingFor, ESBUILD_ALIASES } from '../../../infra/constructs/pipeline-function/defaults.ts';
import { PROJECT_ROOT } from '../../../local/services/constants.ts';
import { ingestRequest, orderPlaced } from '../../fixtures/factories.ts';
import { endpoints, localKafkaAdmin, uniqueName } from '../../helpers/local-stack.ts';
import { readTopic } from '../../helpers/read-topic.ts';

afterEach(() => vi.unstubAllEnvs());

describe('functions/ingest as the stack bundles it', () => {
  it('loads (the Kafka client WebAssembly inline, no native.wasm file) and answers 202 with the event on the topic', async () => {
    // Prepare: esbuild with the stack's bundling for a function that produces to Kafka
    const bundling = bundlingFor({ kafkaDeadLetters: true });
    const outdir = join(PROJECT_ROOT, '.local', 'test-bundles', uniqueName('ingest'));
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: [join(PROJECT_ROOT, 'functions', 'ingest', 'handler.ts')],
      absWorkingDir: PROJECT_ROOT,
      outfile: join(outdir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: bundling.target,
      minify: true,
      external: [...(bundling.externalModules ?? [])],
      define: { ...bundling.define },
      banner: { js: bundling.banner ?? '' },
      mainFields: bundling.mainFields,
      alias: { ...ESBUILD_ALIASES },
      logLevel: 'silent',
    });
    const topic = uniqueName('ingest-bundled');
    const admin = localKafkaAdmin();
    await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    await admin.close();
    vi.stubEnv('EVENTPIPE_TOPIC', topic);
    vi.stubEnv('EVENTPIPE_KAFKA_BROKERS', endpoints.kafkaBrokers.join(','));
    vi.stubEnv('AWS_REGION', endpoints.region);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    // Act
    const { handler } = (await import(pathToFileURL(join(outdir, 'index.mjs')).href)) as {
      handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
    };
    const response = await handler(ingestRequest({ body: orderPlaced('bundled-1') }));
    // Assess
    expect(response.statusCode).toBe(202);
    expect((await readTopic(topic, 1))[0]?.headers.ce_id).toBe('bundled-1');
  }, 60_000);
});
