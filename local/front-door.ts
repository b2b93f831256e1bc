import type { DeploymentSettings } from '#shared/config/deployment-settings.ts';
import type { BuiltIngestHandler } from '#shared/ingest/build-ingest-handler.ts';
import { INGEST_ROUTE } from '#shared/ingest/ingest-handler.ts';
import type { LocalHandler } from './esm/invoke.ts';
import { type AnsweredRequest, HttpApiEmulator } from './http-api/http-api-emulator.ts';

/** Where `npm start` serves the front door unless told otherwise. */
const LOCAL_INGEST_PORT = 8787;

interface FrontDoorOptions {
  /** The ingest handler and its producer (`buildIngestHandler`, as the Lambda entry point builds it). */
  readonly ingest: BuiltIngestHandler;
  /** The deployment's `ingest` block: throttling, reserved concurrency, timeout. */
  readonly settings: DeploymentSettings['ingest'];
  /** 127.0.0.1 port; 0: any free port. @default 8787 */
  readonly port?: number;
  /** Stands in for IAM: `Authorization: Bearer <token>`. */
  readonly bearerToken: string;
}

/** What the live view and the tests read: requests by status, events in and refused. */
interface FrontDoorStats {
  readonly requestsByStatus: Map<number, number>;
  /** Events acknowledged by Kafka (the ids of 202 answers). */
  ingested: number;
  /** Events refused one by one inside answered requests (invalid, too large). */
  refusedEvents: number;
  /** How long each invocation of the function ran, in order (benchmarks; at least the last 100,000 kept). */
  readonly functionMs: number[];
}

const KEPT_DURATIONS = 100_000;

/**
 * The HTTP front door on one machine: the ingest handler — the same factory the Lambda function
 * uses, producing to the local broker — behind the {@link HttpApiEmulator} with the deployment's
 * throttling and reserved concurrency, on 127.0.0.1.
 *
 * @example
 * ```ts
 * const ingest = buildIngestHandler(localIngestConfig(settings, endpoints), powertools);
 * const door = await LocalFrontDoor.start({ ingest, settings: settings.ingest, bearerToken });
 * await fetch(`${door.url}/events`, { method: 'POST', headers: { authorization: `Bearer ${bearerToken}`, 'content-type': 'application/cloudevents+json' }, body });
 * ```
 */
class LocalFrontDoor {
  readonly url: string;
  readonly stats: FrontDoorStats;
  readonly #api: HttpApiEmulator;
  readonly #ingest: BuiltIngestHandler;

  private constructor(url: string, api: HttpApiEmulator, ingest: BuiltIngestHandler, stats: FrontDoorStats) {
    this.url = url;
    this.#api = api;
    this.#ingest = ingest;
    this.stats = stats;
  }

  static async start(options: FrontDoorOptions): Promise<LocalFrontDoor> {
    const { ingest, settings } = options;
    const stats: FrontDoorStats = {
      requestsByStatus: new Map(),
      ingested: 0,
      refusedEvents: 0,
      functionMs: [],
    };
    const api = new HttpApiEmulator({
      routes: {
        [`${INGEST_ROUTE.method} ${INGEST_ROUTE.path}`]: {
          handler: ingest.handler as LocalHandler,
          functionName: 'ingest',
          timeoutMs: settings.timeoutSeconds * 1_000,
          reservedConcurrency: settings.reservedConcurrency,
        },
      },
      throttle: settings.throttling,
      bearerToken: options.bearerToken,
      onAnswer: (answer) => count(stats, answer),
    });
    const url = await api.start(options.port ?? LOCAL_INGEST_PORT);
    return new LocalFrontDoor(url, api, ingest, stats);
  }

  /** Stops taking requests, lets the ones in flight finish, closes the producer. */
  async stop(): Promise<void> {
    await this.#api.stop();
    await this.#ingest.close();
  }
}

function count(stats: FrontDoorStats, answer: AnsweredRequest): void {
  stats.requestsByStatus.set(answer.statusCode, (stats.requestsByStatus.get(answer.statusCode) ?? 0) + 1);
  if (answer.functionMs !== undefined) {
    stats.functionMs.push(answer.functionMs);
    // Trimmed in one splice once twice the bound is held: a shift per request would copy the
    // whole array on every answer once it is full.
    if (stats.functionMs.length >= 2 * KEPT_DURATIONS) stats.functionMs.splice(0, KEPT_DURATIONS);
  }
  if (answer.by !== 'function' || (answer.statusCode !== 202 && answer.statusCode !== 400)) return;
  try {
    const result = JSON.parse(answer.body.toString()) as { accepted?: unknown[]; refused?: unknown[] };
    stats.ingested += result.accepted?.length ?? 0;
    stats.refusedEvents += result.refused?.length ?? 0;
  } catch {
    // A 400 for a body that is not JSON carries only a message.
  }
}

export type { FrontDoorOptions, FrontDoorStats };
export { LOCAL_INGEST_PORT, LocalFrontDoor };
