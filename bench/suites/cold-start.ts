import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { type BuiltBundle, type BundleName, buildBundles, topInputs } from './bundles.ts';
import { FUNCTION_ENVIRONMENT } from './function-environment.ts';

/** The bundles whose init is compared: both functions as deployed, the peer and the floor. */
const INIT_BUNDLES: readonly BundleName[] = [
  'kafka-consumer',
  'retry-worker',
  'powertools-peer',
  'hand-written-floor',
];
const PEER: BundleName = 'powertools-peer';

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
}

interface ColdStartResult {
  readonly sizes: BundleSizeResult[];
  readonly init: InitResult[];
}

/**
 * Bundle size and init: every bundle built as the stack builds it; then, interleaved (bundle and
 * source-map setting rotate every round), fresh Node processes that each import one bundle and
 * time the import and its top level — with `--enable-source-maps` as deployed, and without. The
 * figures are medians and ratios to the Powertools peer measured in the same run.
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
    }),
  );
  return { sizes, init };
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

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export type { BundleSizeResult, ColdStartResult, InitResult };
export { medianOf, runColdStartBenchmark };
