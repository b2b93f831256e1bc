import { parentPort, workerData } from 'node:worker_threads';
import { type HttpLoadOptions, produceViaHttp } from '../../local/produce/http-load-generator.ts';

/**
 * The front door benchmark's client, on its own thread: a real client is another process, and
 * sharing the door's event loop would bill the client's work (generating, serialising, parsing
 * answers) to the door.
 */
const summary = await produceViaHttp(workerData as HttpLoadOptions);
parentPort?.postMessage({
  accepted: summary.acceptedIds.size,
  byStatus: [...summary.byStatus],
  acceptedLatenciesMs: summary.acceptedLatenciesMs,
  durationMs: summary.durationMs,
});
