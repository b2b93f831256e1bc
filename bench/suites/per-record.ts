import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundleName, buildBundles } from './bundles.ts';
import { FUNCTION_ENVIRONMENT } from './function-environment.ts';
import { medianOf } from './stats.ts';

const HANDLERS: Readonly<Record<string, BundleName>> = {
  consumer: 'kafka-consumer-noop',
  peer: 'powertools-peer',
  floor: 'hand-written-floor',
};

interface PerRecordResult {
  readonly payloadBytes: number;
  readonly floorNsPerRecord: number;
  readonly peerNsPerRecord: number;
  readonly consumerNsPerRecord: number;
  /** Medians over rounds of each round's ratio (the handlers of a round ran back to back). */
  readonly peerToFloor: number;
  readonly consumerToFloor: number;
  readonly consumerToPeer: number;
}

/**
 * Warm cost per record: the consumer (bundled as deployed, no-op processors), the Powertools peer
 * and the hand-written floor, on the same 1,000-record MSK events of ~256 B, 1 KiB and 8 KiB, all
 * succeeding, in one child process, interleaved round by round.
 */
async function runPerRecordBenchmark(quick: boolean): Promise<PerRecordResult[]> {
  const bundles = await buildBundles();
  const resultFile = join(mkdtempSync(join(tmpdir(), 'eventpipe-per-record-')), 'samples.json');
  const child = spawnSync(
    process.execPath,
    [
      join(import.meta.dirname, 'per-record-child.ts'),
      resultFile,
      quick ? 'quick' : 'full',
      ...Object.entries(HANDLERS).map(([name, bundle]) => `${name}=${bundles[bundle].file}`),
    ],
    {
      // No webhook routes: the registry's no-op processors run. Source maps on, as deployed.
      env: {
        PATH: process.env.PATH,
        ...FUNCTION_ENVIRONMENT,
        EVENTPIPE_ROUTES: '{}',
        NODE_OPTIONS: '--enable-source-maps',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    },
  );
  if (child.status !== 0) throw new Error(`per-record benchmark failed: ${child.stderr.slice(-2_000)}`);
  const samples = JSON.parse(readFileSync(resultFile, 'utf8')) as Record<string, Record<string, number[]>>;
  return Object.entries(samples).map(([size, bySize]) => {
    const of = (name: string) => bySize[name] ?? [];
    const ratio = (a: string, b: string) =>
      Number(medianOf(of(a).map((value, round) => value / (of(b)[round] ?? Number.NaN))).toFixed(2));
    return {
      payloadBytes: Number(size),
      floorNsPerRecord: Math.round(medianOf(of('floor'))),
      peerNsPerRecord: Math.round(medianOf(of('peer'))),
      consumerNsPerRecord: Math.round(medianOf(of('consumer'))),
      peerToFloor: ratio('peer', 'floor'),
      consumerToFloor: ratio('consumer', 'floor'),
      consumerToPeer: ratio('consumer', 'peer'),
    };
  });
}

export { runPerRecordBenchmark };
