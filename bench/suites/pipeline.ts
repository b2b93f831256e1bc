import { Bench } from 'tinybench';
import { eventTypes } from '#shared/events/index.ts';
import { decodeValue } from '#shared/pipeline/decode.ts';
import { validateEvent } from '#shared/pipeline/validate.ts';
import { benchRecords } from './payloads.ts';

const SIZES = [256, 1_024, 8_192] as const;
const RECORDS_PER_ITERATION = 200;

interface PipelineResult {
  readonly payloadBytes: number;
  readonly baselineNsPerRecord: number;
  readonly productNsPerRecord: number;
  readonly baselineRecordsPerSecond: number;
  readonly productRecordsPerSecond: number;
  /** product / baseline cost; the target for 1 KiB is ≤ 2.0. */
  readonly ratio: number;
}

/**
 * Per-record cost of the product's decode + validate (+ a no-op process) against a baseline of
 * base64 decoding and `JSON.parse` alone, same process, same records, for three payload sizes.
 */
async function runPipelineBenchmark(quick: boolean): Promise<PipelineResult[]> {
  const results: PipelineResult[] = [];
  for (const size of SIZES) {
    const records = benchRecords(RECORDS_PER_ITERATION, size);
    const noop = (_event: unknown) => undefined;
    const bench = new Bench({ time: quick ? 150 : 2_000, warmupTime: quick ? 50 : 500 });
    bench
      .add('baseline', () => {
        for (const record of records)
          noop(JSON.parse(Buffer.from(record.value ?? '', 'base64').toString('utf8')));
      })
      .add('product', () => {
        for (const record of records) noop(validateEvent(decodeValue(record), eventTypes));
      });
    await bench.run();
    const nsPerRecord = (name: string) => {
      const result = bench.getTask(name)?.result as { latency?: { mean: number } } | undefined;
      return ((result?.latency?.mean ?? Number.NaN) * 1e6) / RECORDS_PER_ITERATION;
    };
    const baseline = nsPerRecord('baseline');
    const product = nsPerRecord('product');
    results.push({
      payloadBytes: size,
      baselineNsPerRecord: Math.round(baseline),
      productNsPerRecord: Math.round(product),
      baselineRecordsPerSecond: Math.round(1e9 / baseline),
      productRecordsPerSecond: Math.round(1e9 / product),
      ratio: Number((product / baseline).toFixed(2)),
    });
  }
  return results;
}

export type { PipelineResult };
export { runPipelineBenchmark };
