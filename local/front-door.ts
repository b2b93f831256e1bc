import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { kafkaEventProducer } from '#shared/adapters/kafka-event-producer.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import { createIngestHandler, INGEST_ROUTE } from '#shared/ingest/ingest-handler.ts';
import type { EventProducer, IngestSettings } from '#shared/ingest/types.ts';
import type { LocalHandler } from './esm/invoke.ts';
import { type AnsweredRequest, HttpApiEmulator } from './http-api/http-api-emulator.ts';

/** Where `npm start` serves the front door unless told otherwise. */
const LOCAL_INGEST_PORT = 8787;

interface FrontDoorOptions {
  /** Where the ingest function produces (the local broker; a test may put a proxy in between). */
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly registry: EventRegistry;
  /** 127.0.0.1 port; 0: any free port. @default 8787 */
  readonly port?: number;
  /** Stands in for IAM: `Authorization: Bearer <token>`. */
  readonly bearerToken: string;
  /** The stage's throttling, as deployed. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** The ingest function's reserved concurrency, as deployed. */
  readonly reservedConcurrency: number;
  readonly timeoutSeconds: number;
  /** The handler's limits (body, batch, event size; produce timeout; Retry-After). */
  readonly limits: IngestSettings;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
}

/** What the live view and the tests read: requests by status, events in and refused. */
interface FrontDoorStats {
  readonly requestsByStatus: Map<number, number>;
  /** Events acknowledged by Kafka (the ids of 202 answers). */
  ingested: number;
  /** Events refused one by one inside answered requests (invalid, too large). */
  refusedEvents: number;
}

/**
 * The HTTP front door on one machine: the ingest handler — the same factory the Lambda function
 * uses, producing to the local broker — behind the {@link HttpApiEmulator} with the deployment's
 * throttling and reserved concurrency, on 127.0.0.1.
 *
 * @example
 * ```ts
 * const door = await LocalFrontDoor.start({ brokers, topic: 'orders', registry: eventTypes, bearerToken, throttling, reservedConcurrency: 10, timeoutSeconds: 10, limits, logger, metrics });
 * await fetch(`${door.url}/events`, { method: 'POST', headers: { authorization: `Bearer ${bearerToken}`, 'content-type': 'application/cloudevents+json' }, body });
 * ```
 */
class LocalFrontDoor {
  readonly url: string;
  readonly stats: FrontDoorStats;
  readonly #api: HttpApiEmulator;
  readonly #producer: EventProducer;

  private constructor(url: string, api: HttpApiEmulator, producer: EventProducer, stats: FrontDoorStats) {
    this.url = url;
    this.#api = api;
    this.#producer = producer;
    this.stats = stats;
  }

  static async start(options: FrontDoorOptions): Promise<LocalFrontDoor> {
    const producer = kafkaEventProducer({
      brokers: async () => options.brokers,
      connection: async () => ({}),
      topic: options.topic,
    });
    const handler = createIngestHandler({
      producer,
      registry: options.registry,
      settings: options.limits,
      logger: options.logger,
      metrics: options.metrics,
    });
    const stats: FrontDoorStats = { requestsByStatus: new Map(), ingested: 0, refusedEvents: 0 };
    const api = new HttpApiEmulator({
      routes: {
        [`${INGEST_ROUTE.method} ${INGEST_ROUTE.path}`]: {
          handler: handler as LocalHandler,
          functionName: 'ingest',
          timeoutMs: options.timeoutSeconds * 1_000,
          reservedConcurrency: options.reservedConcurrency,
        },
      },
      throttle: options.throttling,
      bearerToken: options.bearerToken,
      onAnswer: (answer) => count(stats, answer),
    });
    const url = await api.start(options.port ?? LOCAL_INGEST_PORT);
    return new LocalFrontDoor(url, api, producer, stats);
  }

  /** Stops taking requests, lets the ones in flight finish, closes the producer. */
  async stop(): Promise<void> {
    await this.#api.stop();
    await this.#producer.close();
  }
}

function count(stats: FrontDoorStats, answer: AnsweredRequest): void {
  stats.requestsByStatus.set(answer.statusCode, (stats.requestsByStatus.get(answer.statusCode) ?? 0) + 1);
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
