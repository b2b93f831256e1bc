import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuiltBundle, type BundleName, buildBundles, topInputs } from './bundles.ts';
import { FUNCTION_ENVIRONMENT } from './function-environment.ts';
import { benchEvent, benchRecords } from './payloads.ts';
import { medianOf } from './stats.ts';

/** The bundles whose init is compared: both functions as deployed, both peers and the floor. */
const INIT_BUNDLES: readonly BundleName[] = [
  'kafka-consumer',
  'retry-worker',
  'powertools-peer',
  'powertools-peer-with-codecs',
  'hand-written-floor',
];
/** The leanest peer (codecs stubbed) and the peer as 2.35.0 deploys (codecs bundled): see `bundles.ts`. */
const PEER: BundleName = 'powertools-peer';
const PEER_WITH_CODECS: BundleName = 'powertools-peer-with-codecs';

/** Imports the bundle and prints how long the import (and so its top level) took, in ms. */
const IMPORT_TIMER =
  'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));';

interface BundleSizeResult {
  readonly bundle: BundleName;
  readonly kb: number;
  readonly sourceMapKb: number;
  readonly ratioToPeer: number;
  readonly topInputs: ReturnType<typeof topInputs>;
}

interface InitResult {
  readonly bundle: BundleName;
  readonly sourceMaps: boolean;
  readonly processes: number;
  readonly medianMs: number;
  readonly ratioToPeer: number;
  readonly ratioToPeerWithCodecs: number;
}

/** Init plus the first invocation (a 1,000-record batch of ~1 KiB): what a cold start costs a user. */
interface ColdInvocationResult {
  readonly bundle: BundleName;
  readonly processes: number;
  readonly initMs: number;
  readonly firstBatchMs: number;
  readonly totalMs: number;
  readonly totalToPeer: number;
  readonly totalToPeerWithCodecs: number;
}

interface ColdStartResult {
  readonly sizes: BundleSizeResult[];
  readonly init: InitResult[];
  readonly coldInvocation: ColdInvocationResult[];
}

/** The consumer (no-op processors) against the peers, for the cold invocation. */
const COLD_INVOCATION_BUNDLES: readonly BundleName[] = [
  'kafka-consumer-noop',
  'powertools-peer',
  'powertools-peer-with-codecs',
  'hand-written-floor',
];

/** Imports the bundle, then runs its handler once on the event file; writes both times (ms) to a file. */
const COLD_INVOKER = [
  "const fs=await import('node:fs');const [,url,eventFile,out]=process.argv;",
  "const event=JSON.parse(fs.readFileSync(eventFile,'utf8'));",
  'const t0=performance.now();const {handler}=await import(url);const t1=performance.now();',
  "await handler(event,{awsRequestId:'cold',functionName:'eventpipe-bench',functionVersion:'$LATEST',",
  "invokedFunctionArn:'arn:aws:lambda:eu-west-1:123456789012:function:eventpipe-bench',memoryLimitInMB:'1024',",
  'getRemainingTimeInMillis:()=>60000});',
  'fs.writeFileSync(out,JSON.stringify([t1-t0,performance.now()-t1]));',
].join('');

/**
 * Bundle size and init: every bundle built as the stack builds it; then, interleaved (bundle and
 * source-map setting rotate every round), fresh Node processes that each import one bundle and
 * time the import and its top level — with `--enable-source-maps` as deployed, and without. The
 * figures are medians and ratios to the Powertools peers measured in the same run.
 */
async function runColdStartBenchmark(quick: boolean): Promise<ColdStartResult> {
  const bundles = await buildBundles();
  const peer = bundles[PEER];
  const sizes = Object.values(bundles).map(
    (bundle): BundleSizeResult => ({
      bundle: bundle.name,
      kb: Math.round(bundle.bytes / 1_024),
      sourceMapKb: Math.round(bundle.mapBytes / 1_024),
      ratioToPeer: Number((bundle.bytes / peer.bytes).toFixed(2)),
      topInputs: topInputs(bundle, 6),
    }),
  );
  const processes = quick ? 3 : 20;
  const samples = new Map<string, number[]>();
  const cells = INIT_BUNDLES.flatMap((name) => [true, false].map((sourceMaps) => ({ name, sourceMaps })));
  for (let round = 0; round < processes; round++) {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[(i + round) % cells.length];
      if (!cell) continue;
      const key = `${cell.name}|${cell.sourceMaps}`;
      samples.set(key, [...(samples.get(key) ?? []), timeImport(bundles[cell.name], cell.sourceMaps)]);
    }
  }
  const median = (name: BundleName, sourceMaps: boolean) =>
    medianOf(samples.get(`${name}|${sourceMaps}`) ?? []);
  const init = cells.map(
    ({ name, sourceMaps }): InitResult => ({
      bundle: name,
      sourceMaps,
      processes,
      medianMs: Number(median(name, sourceMaps).toFixed(1)),
      ratioToPeer: Number((median(name, sourceMaps) / median(PEER, sourceMaps)).toFixed(2)),
      ratioToPeerWithCodecs: Number(
        (median(name, sourceMaps) / median(PEER_WITH_CODECS, sourceMaps)).toFixed(2),
      ),
    }),
  );
  return { sizes, init, coldInvocation: coldInvocations(bundles, processes) };
}

/**
 * Init plus the first invocation, source maps on, interleaved: the consumer with no-op processors,
 * the peer and the floor. Work a handler leaves to its first invocation (zod's first parse, a
 * client created on first use) shows here, not in init alone.
 */
function coldInvocations(
  bundles: Record<BundleName, BuiltBundle>,
  processes: number,
): ColdInvocationResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'eventpipe-cold-'));
  const eventFile = join(dir, 'event.json');
  writeFileSync(eventFile, JSON.stringify(benchEvent(benchRecords(1_000, 1_024))));
  const samples = new Map<BundleName, [number, number][]>();
  for (let round = 0; round < processes; round++) {
    for (let i = 0; i < COLD_INVOCATION_BUNDLES.length; i++) {
      const name = COLD_INVOCATION_BUNDLES[(i + round) % COLD_INVOCATION_BUNDLES.length];
      if (!name) continue;
      const out = join(dir, `${name}-${round}.json`);
      const result = spawnSync(
        process.execPath,
        [
          '--enable-source-maps',
          '--input-type=module',
          '-e',
          COLD_INVOKER,
          pathToFileURL(bundles[name].file).href,
          eventFile,
          out,
        ],
        // No webhook routes: the consumer's registry has the no-op processors. Logs are discarded.
        {
          env: { PATH: process.env.PATH, ...FUNCTION_ENVIRONMENT, EVENTPIPE_ROUTES: '{}' },
          stdio: ['ignore', 'ignore', 'pipe'],
          encoding: 'utf8',
        },
      );
      if (result.status !== 0)
        throw new Error(`cold invocation of ${name} failed: ${result.stderr.slice(-2_000)}`);
      samples.set(name, [
        ...(samples.get(name) ?? []),
        JSON.parse(readFileSync(out, 'utf8')) as [number, number],
      ]);
    }
  }
  const totalOf = (name: BundleName) => medianOf((samples.get(name) ?? []).map(([a, b]) => a + b));
  return COLD_INVOCATION_BUNDLES.map((name) => ({
    bundle: name,
    processes,
    initMs: Number(medianOf((samples.get(name) ?? []).map(([a]) => a)).toFixed(1)),
    firstBatchMs: Number(medianOf((samples.get(name) ?? []).map(([, b]) => b)).toFixed(1)),
    totalMs: Number(totalOf(name).toFixed(1)),
    totalToPeer: Number((totalOf(name) / totalOf(PEER)).toFixed(2)),
    totalToPeerWithCodecs: Number((totalOf(name) / totalOf(PEER_WITH_CODECS)).toFixed(2)),
  }));
}

function timeImport(bundle: BuiltBundle, sourceMaps: boolean): number {
  const result = spawnSync(
    process.execPath,
    [
      ...(sourceMaps ? ['--enable-source-maps'] : []),
      '--input-type=module',
      '-e',
      IMPORT_TIMER,
      pathToFileURL(bundle.file).href,
    ],
    { env: { PATH: process.env.PATH, ...FUNCTION_ENVIRONMENT }, encoding: 'utf8' },
  );
  const ms = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`importing ${bundle.name} failed: ${result.stderr || result.stdout}`);
  }
  return ms;
}

export type { ColdStartResult };
export { runColdStartBenchmark };
