import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
/** What `cdk synth` reads: the app, the functions and what they import, the settings. */
const PROJECT_FILES = ['infra', 'functions', 'shared', 'cdk.json', 'package.json', 'package-lock.json'];
const EXAMPLE = join(ROOT, 'test', 'fixtures', 'custom-event-type', 'stock-adjusted.ts');
const REGISTRY_LINE = "  'stock.adjusted': stockAdjusted,";

type Template = {
  Resources: Record<
    string,
    { Type: string; Properties: { Description?: string; Code?: { S3Key?: string }; Environment?: unknown } }
  >;
};

const workDir = mkdtempSync(join(tmpdir(), 'eventpipe-custom-type-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * A copy of the project with the README's change made: one new file in `shared/events/` and one
 * line (and its import) in the registry, `shared/events/index.ts`.
 */
function projectWithCustomType(): string {
  const project = join(workDir, 'project');
  for (const file of PROJECT_FILES) cpSync(join(ROOT, file), join(project, file), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  cpSync(EXAMPLE, join(project, 'shared', 'events', 'stock-adjusted.ts'));
  const registryFile = join(project, 'shared', 'events', 'index.ts');
  const registry = readFileSync(registryFile, 'utf8')
    .replace(/^/, "import { stockAdjusted } from './stock-adjusted.ts';\n")
    .replace(/^(\s*'notification\.requested': .*)$/m, `$1\n${REGISTRY_LINE}`);
  expect(registry).toContain(REGISTRY_LINE);
  writeFileSync(registryFile, registry);
  return project;
}

/** Runs one Lambda invocation of a bundled handler in a fresh Node process (a cold container). */
async function invokeBundle(bundle: string, environment: Record<string, string>, event: unknown) {
  const script = `const { handler } = await import(${JSON.stringify(bundle)});
await handler(${JSON.stringify(event)}, { awsRequestId: 'req-1', functionName: 'consumer', getRemainingTimeInMillis: () => 60_000 });`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...environment },
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a custom event type with an in-code processor', () => {
  it('is one new file and one registry line, and the synthesized consumer runs it', async () => {
    // Prepare
    const project = projectWithCustomType();
    const outdir = join(workDir, 'cdk.out');
    // Act: synthesize as `npx cdk synth` does, bundling with the local esbuild
    await run(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'),
        'synth',
        '--quiet',
        '--app',
        `${process.execPath} infra/app.ts`,
        '--output',
        outdir,
      ],
      {
        cwd: project,
        env: { ...process.env, CDK_DOCKER: '/bin/false', CI: 'true' },
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    // Assess: the consumer's bundle carries the type and its processor…
    const template = JSON.parse(readFileSync(join(outdir, 'EventPipe.template.json'), 'utf8')) as Template;
    const consumer = Object.values(template.Resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Properties.Description?.includes('kafka-consumer'),
    );
    if (!consumer) throw new Error('the template has no kafka-consumer function');
    const assetHash = consumer.Properties.Code?.S3Key?.replace(/\.zip$/, '');
    const bundle = join(outdir, `asset.${assetHash}`, 'index.mjs');
    const code = readFileSync(bundle, 'utf8');
    expect(code).toContain('stock.adjusted');
    expect(code).toContain('would leave');
    // …and processes it in the function: cdk.json routes the three built-in types to webhooks and
    // none to `stock.adjusted`, so a processed record is the in-code processor's work. (The queue
    // URLs are CloudFormation references; a batch that succeeds never calls SQS.)
    const variables = (consumer.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const environment = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : `https://sqs.eu-west-1.amazonaws.com/111111111111/${name}`,
      ]),
    );
    const value = Buffer.from(
      JSON.stringify({
        specversion: '1.0',
        id: 'stock-1',
        source: '/warehouse',
        type: 'stock.adjusted',
        data: { sku: 'SKU-1', delta: 4 },
      }),
    ).toString('base64');
    const logs = await invokeBundle(bundle, environment, {
      eventSource: 'aws:kafka',
      eventSourceArn: 'arn:aws:kafka:eu-west-1:111111111111:cluster/orders/x',
      bootstrapServers: 'b-1.orders.example.com:9098',
      records: {
        'orders-0': [
          {
            topic: 'orders',
            partition: 0,
            offset: 7,
            timestamp: Date.now(),
            timestampType: 'CREATE_TIME',
            value,
            headers: [],
          },
        ],
      },
    });
    expect(logs.find((line) => line.message === 'batch settled')).toMatchObject({
      records: 1,
      processed: 1,
      retried: 0,
      deadLettered: 0,
    });
  });
});
