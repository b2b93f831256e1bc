import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import { benchBacklog } from './runtime-harness.ts';

const run = promisify(execFile);

interface BacklogMemoryResult {
  readonly backlog: number;
  readonly reservedConcurrency: number;
  readonly processorMs: number;
  readonly seconds: number;
  readonly eventsProcessed: number;
  readonly maxInFlight: number;
  readonly fetchPauses: number;
  readonly maxBufferedRecords: number;
  readonly rssMbAtStart: number;
  readonly rssMbPeak: number;
  /** RSS (MB) sampled every second while the backlog drains. */
  readonly rssCurveMb: number[];
}

/**
 * Memory under a large backlog: the topic is filled first, then the runtime — alone in a child
 * process (bench/backlog-runtime.ts), so that its RSS is what is measured — drains it with a
 * processor that takes 5 ms and a pool of 4. RSS must stay flat (backpressure, not buffering) and
 * in-flight invocations must never exceed 4. Bounded in time: it stops after `seconds`.
 */
async function runBacklogMemoryBenchmark(
  endpoints: LocalEndpoints,
  quick: boolean,
): Promise<BacklogMemoryResult> {
  const backlog = quick ? 10_000 : 1_000_000;
  const seconds = quick ? 4 : 300;
  const topic = await benchBacklog(endpoints, 'bench-backlog', backlog, 5_000);
  // The runtime runs alone in a child process: its RSS is the figure, not this process's.
  const { stdout } = await run(
    process.execPath,
    [join(import.meta.dirname, '..', 'backlog-runtime.ts'), topic, String(backlog), String(seconds)],
    {
      maxBuffer: 16 * 1024 * 1024,
      timeout: (seconds + 60) * 1_000,
    },
  );
  const lines = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number | string>);
  const start = lines.find((line) => line.sample === 'start');
  const ticks = lines.filter((line) => line.sample === 'tick');
  const done = lines.find((line) => line.sample === 'done') ?? {};
  const curve = ticks.map((tick) => Number(tick.rssMb));
  const rssMbAtStart = Number(start?.rssMb ?? 0);
  return {
    backlog,
    reservedConcurrency: 4,
    processorMs: 5,
    seconds: Number(done.seconds ?? 0),
    eventsProcessed: Number(done.recordsCommitted ?? 0),
    maxInFlight: Number(done.maxInFlight ?? 0),
    fetchPauses: Number(done.pauses ?? 0),
    maxBufferedRecords: Number(done.maxBuffered ?? 0),
    rssMbAtStart,
    rssMbPeak: Math.max(rssMbAtStart, ...curve),
    rssCurveMb: curve,
  };
}

export type { BacklogMemoryResult };
export { runBacklogMemoryBenchmark };
