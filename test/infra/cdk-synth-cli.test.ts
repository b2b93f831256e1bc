import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

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
      expect(statSync(join(outdir, bundle, 'index.mjs')).size).toBeGreaterThan(100_000);
      expect(existsSync(join(outdir, bundle, 'index.mjs.map'))).toBe(true);
    }
  });
});
