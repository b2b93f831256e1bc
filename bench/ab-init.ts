/**
 * A/B of init between two states of the code, for changes too small for the suite's run-to-run
 * spread (±0.15 × peer on a loaded machine): the functions of a git ref (default `main`) and of
 * the working tree are bundled as the stack bundles them, with the Powertools peers of the working
 * tree (the leanest, and as 2.35.0 deploys with its codecs: `suites/bundles.ts`), and timed in one
 * run, interleaved round by round, in fresh Node processes with `--enable-source-maps` (as
 * deployed):
 *
 * - init: wall and CPU time (user + system) of `await import()` of each bundle;
 * - cold invocation: init plus the first 1,000-record batch (~1 KiB) of the consumer with no-op
 *   processors, against the peer.
 *
 * Figures are medians and ratios to the peers of the same run.
 *
 * ```sh
 * node bench/ab-init.ts [--base main] [--processes 30] [--config-bound] [--extra label:kafka-consumer:path/index.mjs …]
 * ```
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { LOCAL_STATE_DIR, PROJECT_ROOT } from '../local/services/constants.ts';
import { PEER_STUBS, stackBuildOptions } from './suites/bundles.ts';
import { FUNCTION_ENVIRONMENT } from './suites/function-environment.ts';
import { benchEvent, benchRecords } from './suites/payloads.ts';
import { medianOf } from './suites/stats.ts';

const FUNCTIONS = {
  'kafka-consumer': 'functions/kafka-consumer/handler.ts',
  'retry-worker': 'functions/retry-worker/handler.ts',
  'kafka-consumer-noop': 'bench/peers/eventpipe-consumer-noop.ts',
} as const;
const PEER_ENTRY = 'bench/peers/powertools-kafka-consumer.ts';

/** Writes `[wallMs, cpuMs]` of the import to fd 3 (the handlers log to stdout). */
const IMPORT_TIMER =
  "const fs=await import('node:fs');const c=process.cpuUsage();const t=performance.now();await import(process.argv[1]);" +
  'const w=performance.now()-t;const d=process.cpuUsage(c);fs.writeSync(3,JSON.stringify([w,(d.user+d.system)/1000]));';

/** Writes `[initMs, firstBatchMs]` to fd 3. */
const COLD_INVOKER = [
  "const fs=await import('node:fs');const [,url,eventFile]=process.argv;",
  "const event=JSON.parse(fs.readFileSync(eventFile,'utf8'));",
  'const t0=performance.now();const {handler}=await import(url);const t1=performance.now();',
  "await handler(event,{awsRequestId:'cold',functionName:'eventpipe-bench',functionVersion:'$LATEST',",
  "invokedFunctionArn:'arn:aws:lambda:eu-west-1:123456789012:function:eventpipe-bench',memoryLimitInMB:'1024',",
  'getRemainingTimeInMillis:()=>60000});',
  'fs.writeSync(3,JSON.stringify([t1-t0,performance.now()-t1]));',
].join('');

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'main' },
    processes: { type: 'string', default: '30' },
    /**
     * Also time the working tree's consumer with its configuration read replaced by the object it
     * returns: what a configuration read that cost nothing would leave (an upper bound for any
     * faster read).
     */
    'config-bound': { type: 'boolean', default: false },
    /** A prebuilt bundle to time too, `<label>:<bundle name>:<index.mjs>` (an experiment's build). */
    extra: { type: 'string', multiple: true, default: [] },
  },
});
const processes = Number(values.processes);
const root = join(LOCAL_STATE_DIR, 'bench', 'ab');

/** The base ref's files, with this checkout's node_modules (the dependencies are the same). */
function checkoutBase(ref: string): string {
  const dir = join(root, 'base-src');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${ref} | tar -x -C ${dir}`], { cwd: PROJECT_ROOT });
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function bundle(sourceRoot: string, entry: string, outdir: string, peer = false): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  const options = {
    ...stackBuildOptions(entry, outdir, peer ? [PEER_STUBS] : []),
    absWorkingDir: sourceRoot,
  };
  options.entryPoints = [join(sourceRoot, entry)];
  await build(options);
  return options.outfile ?? '';
}

function run(script: string, file: string, extra: string[]): [number, number] {
  const result = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', script, pathToFileURL(file).href, ...extra],
    {
      env: {
        PATH: process.env.PATH,
        ...FUNCTION_ENVIRONMENT,
        ...(extra.length ? { EVENTPIPE_ROUTES: '{}' } : {}),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`${file} failed: ${result.stderr.slice(-2_000)}`);
  return JSON.parse(String(result.output[3])) as [number, number];
}

/** Runs each file once per round, the order rotating, and returns the samples per file. */
function interleave(files: readonly string[], sample: (file: string) => [number, number]) {
  const samples = files.map((): [number, number][] => []);
  for (let round = 0; round < processes; round++) {
    for (let i = 0; i < files.length; i++) {
      const j = (i + round) % files.length;
      samples[j]?.push(sample(files[j] ?? ''));
    }
  }
  return samples;
}

const baseRoot = checkoutBase(values.base ?? 'main');
const bundles: { label: string; name: string; file: string }[] = [];
bundles.push({
  label: 'peer',
  name: 'powertools-peer',
  file: await bundle(PROJECT_ROOT, PEER_ENTRY, join(root, 'peer'), true),
});
// The peer as Powertools 2.35.0 deploys: its Avro and Protobuf codecs bundled (bench/suites/bundles.ts).
bundles.push({
  label: 'with codecs',
  name: 'powertools-peer',
  file: await bundle(PROJECT_ROOT, PEER_ENTRY, join(root, 'peer-with-codecs')),
});
for (const [side, sourceRoot] of [
  [values.base ?? 'main', baseRoot],
  ['working tree', PROJECT_ROOT],
] as const) {
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const dir = join(root, side === 'working tree' ? 'new' : 'base', name);
    bundles.push({ label: side, name, file: await bundle(sourceRoot, entry, dir) });
  }
}

if (values['config-bound']) {
  const { loadRuntimeConfig } = await import('../shared/config/runtime-config.ts');
  for (const name of ['kafka-consumer', 'kafka-consumer-noop'] as const) {
    // The no-op consumer runs without routes, as in the cold invocation below.
    const environment = {
      ...FUNCTION_ENVIRONMENT,
      ...(name === 'kafka-consumer-noop' ? { EVENTPIPE_ROUTES: '{}' } : {}),
    };
    const config = JSON.stringify(loadRuntimeConfig(environment));
    const stub: Plugin = {
      name: 'configuration-read-stub',
      setup(pluginBuild) {
        pluginBuild.onLoad({ filter: /shared\/config\/runtime-config\.ts$/ }, () => ({
          contents: `export function loadRuntimeConfig() { return ${config}; }`,
          loader: 'js',
        }));
        pluginBuild.onLoad({ filter: /shared\/config\/pipeline-settings\.ts$/ }, () => ({
          contents: 'export function kafkaDlqTopic(s) { return s.dlqTopic ?? s.topic + ".dlq"; }',
          loader: 'js',
        }));
      },
    };
    const outdir = join(root, 'config-bound', name);
    mkdirSync(outdir, { recursive: true });
    const options = stackBuildOptions(FUNCTIONS[name], outdir, [stub]);
    await build(options);
    bundles.push({ label: 'no config read', name, file: options.outfile ?? '' });
  }
}
for (const extra of values.extra ?? []) {
  const [label = '', name = '', file = ''] = extra.split(':');
  bundles.push({ label, name, file });
}

const initFiles = bundles.filter((b) => b.name !== 'kafka-consumer-noop');
const init = interleave(
  initFiles.map((b) => b.file),
  (file) => run(IMPORT_TIMER, file, []),
);
const eventFile = join(root, 'event.json');
writeFileSync(eventFile, JSON.stringify(benchEvent(benchRecords(1_000, 1_024))));
const coldFiles = bundles.filter((b) => b.name === 'kafka-consumer-noop' || b.name === 'powertools-peer');
const cold = interleave(
  coldFiles.map((b) => b.file),
  (file) => run(COLD_INVOKER, file, [eventFile]),
);

const fixed = (n: number) => n.toFixed(1);
const peerWall = medianOf(init[0]?.map(([w]) => w) ?? []);
const peerCpu = medianOf(init[0]?.map(([, c]) => c) ?? []);
const codecsPeerWall = medianOf(init[1]?.map(([w]) => w) ?? []);
const codecsPeerCpu = medianOf(init[1]?.map(([, c]) => c) ?? []);
console.log(`init, ${processes} fresh processes each, source maps on (ms, × peer, × peer with codecs)`);
initFiles.forEach((b, i) => {
  const wall = medianOf(init[i]?.map(([w]) => w) ?? []);
  const cpu = medianOf(init[i]?.map(([, c]) => c) ?? []);
  console.log(
    `  ${b.name.padEnd(20)} ${b.label.padEnd(14)} wall ${fixed(wall).padStart(6)} ${(wall / peerWall).toFixed(2)} ${(wall / codecsPeerWall).toFixed(2)}  cpu ${fixed(cpu).padStart(6)} ${(cpu / peerCpu).toFixed(2)} ${(cpu / codecsPeerCpu).toFixed(2)}`,
  );
});
const peerTotal = medianOf(cold[0]?.map(([a, b]) => a + b) ?? []);
console.log('init + first 1,000-record batch (~1 KiB), source maps on (ms, × peer)');
coldFiles.forEach((b, i) => {
  const total = medianOf(cold[i]?.map(([a, c]) => a + c) ?? []);
  const first = medianOf(cold[i]?.map(([, c]) => c) ?? []);
  console.log(
    `  ${b.name.padEnd(20)} ${b.label.padEnd(14)} init ${fixed(medianOf(cold[i]?.map(([a]) => a) ?? [])).padStart(6)} first ${fixed(first).padStart(6)} total ${fixed(total).padStart(6)} ${(total / peerTotal).toFixed(2)}`,
  );
});
