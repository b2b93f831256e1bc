import { loadIngestConfig } from '#shared/config/ingest-config.ts';
import { buildIngestHandler } from '#shared/ingest/build-ingest-handler.ts';
import { createPowertools } from '#shared/observability/powertools.ts';

// Built once per container: a bad configuration fails the cold start, naming the variable. The
// Kafka producer connects on the first request and is kept for the container's life.
const config = loadIngestConfig(process.env);
const { logger, metrics } = createPowertools(config, 'ingest');

/** API Gateway HTTP API (payload 2.0) `POST /events` → validate → produce (acks=all) → 202. */
export const { handler } = buildIngestHandler(config, { logger, metrics });
