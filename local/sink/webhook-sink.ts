import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the sink injects; rates are fractions of requests (transient) or of event ids (permanent). */
interface FailureInjection {
  /** Share of requests answered 503 (random per request, so a retry may succeed). */
  transientRate: number;
  /** Share of event ids answered 400 (decided by the id, so every retry of it fails alike). */
  permanentRate: number;
  /** Added before each answer. */
  latencyMs: number;
}

interface Delivery {
  readonly id: string;
  readonly type: string;
  readonly subject?: string;
  /** Order of arrival across the whole sink. */
  readonly sequence: number;
  readonly idempotencyKey: string | undefined;
}

interface SinkStats {
  requests: number;
  delivered: number;
  duplicates: number;
  transientFailures: number;
  permanentFailures: number;
  /** Requests the caller gave up on while the sink was slow (not recorded as delivered). */
  abandoned: number;
}

const BUCKETS = 10_000;

/**
 * The local downstream: an HTTP server on loopback that accepts the webhook processor's POSTs,
 * records every successful delivery (by event id, with its arrival order) and injects failures on
 * demand. `npm start` routes every event type here; the end-to-end tests account against it.
 *
 * @example
 * ```ts
 * const sink = new WebhookSink({ transientRate: 0.05, permanentRate: 0.01, latencyMs: 2 });
 * const url = await sink.start();
 * ```
 */
class WebhookSink {
  readonly stats: SinkStats = {
    requests: 0,
    delivered: 0,
    duplicates: 0,
    transientFailures: 0,
    permanentFailures: 0,
    abandoned: 0,
  };
  /** Successful deliveries by event id (more than one entry: a duplicate). */
  readonly deliveries = new Map<string, Delivery[]>();
  /** Event ids that were ever answered 503: they went through the retry path. */
  readonly transientFailedIds = new Set<string>();
  #failures: FailureInjection;
  #server?: Server;
  #sequence = 0;
  readonly #random: () => number;

  constructor(failures: Partial<FailureInjection> = {}, random: () => number = Math.random) {
    this.#failures = { transientRate: 0, permanentRate: 0, latencyMs: 0, ...failures };
    this.#random = random;
  }

  /** Listens on 127.0.0.1 (`port` 0: any free port) and returns the base URL. */
  async start(port = 0): Promise<string> {
    this.#server = createServer((request, response) => void this.#handle(request, response));
    await new Promise<void>((resolve, reject) => {
      this.#server?.once('error', reject);
      this.#server?.listen(port, '127.0.0.1', resolve);
    });
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => (this.#server ? this.#server.close(resolve) : resolve(undefined)));
  }

  setFailures(failures: Partial<FailureInjection>): void {
    this.#failures = { ...this.#failures, ...failures };
  }

  get failures(): Readonly<FailureInjection> {
    return this.#failures;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    this.stats.requests++;
    let callerGone = false;
    response.once('close', () => {
      if (response.writableEnded) return;
      callerGone = true;
      this.stats.abandoned++;
    });
    if (this.#failures.latencyMs > 0) await sleep(this.#failures.latencyMs);
    // The caller timed out and went away: like a downstream whose transaction rolls back with the
    // connection, nothing is recorded, so a test never counts a delivery the pipeline gave up on.
    if (callerGone) return;
    let event: { id?: unknown; type?: unknown; subject?: unknown };
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      return answer(response, 400, 'body is not JSON');
    }
    const id = String(event.id ?? '');
    if (isPermanentFailure(id, this.#failures.permanentRate)) {
      this.stats.permanentFailures++;
      return answer(response, 400, 'rejected (injected permanent failure)');
    }
    if (this.#random() < this.#failures.transientRate) {
      this.stats.transientFailures++;
      this.transientFailedIds.add(id);
      return answer(response, 503, 'unavailable (injected transient failure)');
    }
    const previous = this.deliveries.get(id) ?? [];
    if (previous.length > 0) this.stats.duplicates++;
    else this.stats.delivered++;
    previous.push({
      id,
      type: String(event.type ?? ''),
      subject: typeof event.subject === 'string' ? event.subject : undefined,
      sequence: this.#sequence++,
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
    });
    this.deliveries.set(id, previous);
    answer(response, 200, 'ok');
  }
}

/** Deterministic per event id, so that every attempt at a "permanently failing" event fails. */
function isPermanentFailure(id: string, rate: number): boolean {
  if (rate <= 0) return false;
  const bucket = createHash('sha1').update(id).digest().readUInt32BE(0) % BUCKETS;
  return bucket < rate * BUCKETS;
}

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export type { Delivery, FailureInjection, SinkStats };
export { isPermanentFailure, WebhookSink };
