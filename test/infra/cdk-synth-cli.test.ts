import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
/** Issue 12's target for each function with the default settings (SQS DLQ). */
const MAX_SQS_DLQ_BUNDLE_BYTES = 200 * 1024;

describe('npx cdk synth', () => {
  it('synthesizes the stack from cdk.json, bundling with the local esbuild and never with Docker', async () => {
    // Prepare: any attempt to use Docker fails the synth
    const outdir = mkdtempSync(join(tmpdir(), 'eventpipe-synth-'));
    // Act
    await run(
      process.execPath,
      [join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--quiet', '--output', outdir],
      {
        cwd: ROOT,
        env: { ...process.env, CDK_DOCKER: '/bin/false', CI: 'true' },
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    // Assess
    const template = JSON.parse(readFileSync(join(outdir, 'EventPipe.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(2);
    const bundles = readdirSync(outdir).filter(
      (name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'index.mjs')),
    );
    expect(bundles).toHaveLength(2);
    for (const bundle of bundles) {
      // cdk.json dead-letters to SQS: the Kafka producer and the MSK IAM signer stay out (issue 12).
      const bytes = statSync(join(outdir, bundle, 'index.mjs')).size;
      expect(bytes).toBeGreaterThan(100_000);
      expect(bytes).toBeLessThanOrEqual(MAX_SQS_DLQ_BUNDLE_BYTES);
      const map = JSON.parse(readFileSync(join(outdir, bundle, 'index.mjs.map'), 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown;
      };
      expect(map.sources.filter((source) => /@platformatic|aws-msk-iam-sasl-signer/.test(source))).toEqual(
        [],
      );
      // Mappings only: the source text is not shipped, nor read at every cold start.
      expect(map.sourcesContent).toBeUndefined();
      // ...and a cold-start failure still names our source file and line, as deployed
      // (NODE_OPTIONS=--enable-source-maps): the function fails on an empty environment.
      const coldStart = await run(
        process.execPath,
        [
          '--enable-source-maps',
          '--input-type=module',
          '-e',
          `await import(${JSON.stringify(join(outdir, bundle, 'index.mjs'))})`,
        ],
        { cwd: ROOT, env: { PATH: process.env.PATH } },
      ).then(
        () => '',
        (error: { stderr: string }) => error.stderr,
      );
      expect(coldStart).toMatch(/EVENTPIPE_RETRY_QUEUE_URL/);
      expect(coldStart).toMatch(/shared\/config\/env-table\.ts:\d+:\d+/);
    }
  });
});
