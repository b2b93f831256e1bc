import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { EventRegistry } from '../events/registry.ts';
import { MetricName } from '../observability/metric-names.ts';
import { IngestError, ProducerUnavailableError } from './errors.ts';
import { readRequestEvents } from './read-request.ts';
import { toIngestRecord } from './to-record.ts';
import type { EventProducer, IngestRecord, IngestResult, IngestSettings, Refusal } from './types.ts';

/** The one route of the front door (payload 2.0 `routeKey`). */
const INGEST_ROUTE = { method: 'POST', path: '/events' } as const;

interface IngestHandlerOptions {
  /** Where accepted events go; resolves once the broker acknowledged them. */
  readonly producer: EventProducer;
  /** The event types the pipeline knows (the consumer's registry). */
  readonly registry: EventRegistry;
  readonly settings: IngestSettings;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
}

type IngestHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The HTTP front door's Lambda handler (API Gateway HTTP API, payload format 2.0): `POST /events`
 * with one CloudEvent (`application/cloudevents+json`) or a batch
 * (`application/cloudevents-batch+json`). Each event is validated as the consumer validates it;
 * the valid ones are produced to the source topic and answered `202` only after the broker
 * acknowledged them, so nothing answered `202` can be lost.
 *
 * Answers:
 * - `202` `{ accepted, refused }`: at least one event acknowledged. A batch with some invalid
 *   events is still a `202`, its refusals listed per event (index, id, reason, zod issues): the
 *   valid ones are in Kafka, and a caller retrying the whole request would duplicate them.
 * - `400` `{ accepted: [], refused }`: no valid event (or `{ message }` for a body that is not JSON).
 * - `413` past `maxBodyBytes` or `maxBatchEvents` (a single event past `maxEventBytes` is also 413).
 * - `415` for any other content type (plain `application/json` included: see {@link readRequestEvents}).
 * - `503` with `Retry-After` when the broker did not acknowledge within `produceTimeoutMs`;
 *   nothing of the request counts as accepted, the caller sends it again.
 * - `404` `{"message":"Not Found"}` for another method or path, as API Gateway answers unmatched routes.
 *
 * @example
 * ```ts
 * export const handler = createIngestHandler({ producer, registry: eventTypes, settings, logger, metrics });
 * ```
 */
function createIngestHandler(options: IngestHandlerOptions): IngestHandler {
  const { logger, metrics } = options;
  return async (event) => {
    try {
      if (!isIngestRoute(event)) return jsonResponse(404, { message: 'Not Found' });
      return await ingest(event, options);
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      if (error instanceof ProducerUnavailableError) {
        metrics.addMetric(MetricName.INGEST_UNAVAILABLE, MetricUnit.Count, 1);
        logger.warn('events not acknowledged: answered 503', { error });
        return jsonResponse(
          503,
          { message: error.message },
          { 'retry-after': String(options.settings.retryAfterSeconds) },
        );
      }
      logger.info('request refused', { statusCode: error.statusCode, reason: error.message });
      return jsonResponse(error.statusCode, { message: error.message });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

async function ingest(
  event: APIGatewayProxyEventV2,
  options: IngestHandlerOptions,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { settings, metrics } = options;
  const { batch, events } = readRequestEvents(event, settings);
  const records: IngestRecord[] = [];
  const accepted: string[] = [];
  const refused: Refusal[] = [];
  events.forEach((item, index) => {
    const result = toIngestRecord({ ...item, index }, options.registry, settings.maxEventBytes);
    if ('refusal' in result) refused.push(result.refusal);
    else {
      records.push(result.record);
      accepted.push(result.id);
    }
  });
  if (refused.length > 0) metrics.addMetric(MetricName.INGEST_REFUSED, MetricUnit.Count, refused.length);
  if (records.length === 0) {
    const tooLarge = !batch && refused[0]?.kind === 'too-large';
    return jsonResponse(tooLarge ? 413 : 400, { accepted: [], refused } satisfies IngestResult);
  }
  await sendWithin(options.producer, records, settings.produceTimeoutMs);
  metrics.addMetric(MetricName.INGESTED, MetricUnit.Count, records.length);
  return jsonResponse(202, { accepted, refused } satisfies IngestResult);
}

/**
 * Waits for the acknowledgement at most `timeoutMs`, so that the function answers 503 before its
 * own timeout (API Gateway would answer a bare 503/504 and the caller would not know to retry).
 * A send that times out may still land later: the caller's retry then duplicates it (at least
 * once, never lost).
 */
async function sendWithin(
  producer: EventProducer,
  records: readonly IngestRecord[],
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProducerUnavailableError(`Kafka did not acknowledge within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([producer.send(records), timeout]);
  } catch (error) {
    if (error instanceof ProducerUnavailableError) throw error;
    throw new ProducerUnavailableError('Kafka is unavailable', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the request is `POST /events` (with a named stage, `rawPath` starts with `/<stage>`). */
function isIngestRoute(event: APIGatewayProxyEventV2): boolean {
  const { method, path } = event.requestContext.http;
  if (method.toUpperCase() !== INGEST_ROUTE.method) return false;
  const stage = event.requestContext.stage;
  const unstaged =
    stage && stage !== '$default' && path.startsWith(`/${stage}/`) ? path.slice(stage.length + 1) : path;
  return unstaged.replace(/\/+$/, '') === INGEST_ROUTE.path;
}

function jsonResponse(
  statusCode: number,
  body: object,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export type { IngestHandler, IngestHandlerOptions };
export { createIngestHandler, INGEST_ROUTE };
