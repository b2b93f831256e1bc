import { setTimeout as sleep } from 'node:timers/promises';
import { type GeneratedEvent, type GeneratorOptions, generateEvent } from './event-generator.ts';

interface HttpLoadOptions extends GeneratorOptions {
  /** The front door's base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly bearerToken: string;
  readonly count: number;
  /** Events per request (`application/cloudevents-batch+json`). */
  readonly batchSize: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Events per second, paced by request; unset or 0: as fast as the door answers. */
  readonly ratePerSecond?: number;
  /** Gives up on a request after this long (counted as status 0). @default 30 s */
  readonly requestTimeoutMs?: number;
  readonly onProgress?: (sent: number) => void;
  readonly signal?: AbortSignal;
}

interface HttpLoadSummary {
  readonly requests: number;
  /** Requests by HTTP status; 0: no answer (connection refused, timed out). */
  readonly byStatus: ReadonlyMap<number, number>;
  /** Ids the door answered 202 for, i.e. acknowledged by Kafka. */
  readonly acceptedIds: ReadonlySet<string>;
  /** Ids refused one by one inside a 202 or 400 answer (invalid, too large). */
  readonly refusedIds: ReadonlySet<string>;
  /** Milliseconds from sending a request to its 202, one entry per accepted request. */
  readonly acceptedLatenciesMs: readonly number[];
  readonly durationMs: number;
}

const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';
const EVENT_MEDIA_TYPE = 'application/cloudevents+json';

/**
 * Sends `count` generated events through the HTTP front door in batches, `concurrency` requests at
 * a time, at an optional rate, and says what became of each: accepted (202), refused per event, or
 * refused with the whole request (429, 4xx, 503…). It never retries, so the figures show what the
 * door did. An event that is not JSON at all (the generator's truncated kind) goes alone as
 * `application/cloudevents+json`, since it would break a batch's array.
 *
 * @example
 * ```ts
 * const summary = await produceViaHttp({ url, bearerToken, count: 10_000, batchSize: 50, concurrency: 8, runId: 'http', keyCardinality: 100, payloadBytes: 512, invalidShare: 0 });
 * ```
 */
async function produceViaHttp(options: HttpLoadOptions): Promise<HttpLoadSummary> {
  const byStatus = new Map<number, number>();
  const acceptedIds = new Set<string>();
  const refusedIds = new Set<string>();
  const acceptedLatenciesMs: number[] = [];
  const started = Date.now();
  let next = 0;
  let sent = 0;
  let requests = 0;
  const takeRequest = (): { events: GeneratedEvent[]; single: boolean } | undefined => {
    if (next >= options.count || options.signal?.aborted) return undefined;
    const first = generateEvent(next++, options);
    if (first.expectedStage === 'decode') return { events: [first], single: true };
    const events = [first];
    while (events.length < options.batchSize && next < options.count) {
      const event = generateEvent(next, options);
      if (event.expectedStage === 'decode') break;
      events.push(event);
      next++;
    }
    return { events, single: false };
  };
  const worker = async () => {
    for (let request = takeRequest(); request; request = takeRequest()) {
      await pace(options, next, started);
      const { status, body, ms } = await post(options, request.events, request.single);
      requests++;
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      if (status === 202) acceptedLatenciesMs.push(ms);
      if (status === 202 || status === 400) {
        for (const id of body?.accepted ?? []) acceptedIds.add(id);
        for (const refusal of body?.refused ?? []) {
          const id = request.events[refusal.index]?.id;
          if (id !== undefined) refusedIds.add(id);
        }
      }
      sent += request.events.length;
      options.onProgress?.(sent);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return {
    requests,
    byStatus,
    acceptedIds,
    refusedIds,
    acceptedLatenciesMs,
    durationMs: Date.now() - started,
  };
}

async function pace(options: HttpLoadOptions, taken: number, started: number): Promise<void> {
  if (!options.ratePerSecond) return;
  const aheadMs = (taken / options.ratePerSecond) * 1_000 - (Date.now() - started);
  if (aheadMs > 0) await sleep(aheadMs, undefined, { signal: options.signal }).catch(() => undefined);
}

interface IngestAnswer {
  readonly accepted?: string[];
  readonly refused?: { index: number }[];
}

async function post(
  options: HttpLoadOptions,
  events: readonly GeneratedEvent[],
  single: boolean,
): Promise<{ status: number; body?: IngestAnswer; ms: number }> {
  const started = performance.now();
  try {
    const response = await fetch(`${options.url}/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.bearerToken}`,
        'content-type': single ? EVENT_MEDIA_TYPE : BATCH_MEDIA_TYPE,
      },
      body: single
        ? (events[0] as GeneratedEvent).value
        : `[${events.map((event) => event.value).join(',')}]`,
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let body: IngestAnswer | undefined;
    try {
      body = JSON.parse(text) as IngestAnswer;
    } catch {
      body = undefined;
    }
    return { status: response.status, body, ms };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

export type { HttpLoadOptions, HttpLoadSummary };
export { produceViaHttp };
