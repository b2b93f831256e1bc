import { parentPort, workerData } from 'node:worker_threads';
import { type HttpLoadOptions, produceViaHttp } from '../../local/produce/http-load-generator.ts';

/**
 * The front door benchmarks' client, on its own thread: a real client is another process, and
 * sharing the door's event loop would bill the client's work (generating, serialising, parsing
 * answers) to the door. With `durationMs` it stops sending after that long.
 */
const { durationMs, ...options } = workerData as HttpLoadOptions & { durationMs?: number };
const summary = await produceViaHttp({
  ...options,
  signal: durationMs === undefined ? undefined : AbortSignal.timeout(durationMs),
});
parentPort?.postMessage({
  accepted: summary.acceptedIds.size,
  byStatus: [...summary.byStatus],
  acceptedLatenciesMs: summary.acceptedLatenciesMs,
  durationMs: summary.durationMs,
});
