import { kafkaConsumer, SchemaType } from '@aws-lambda-powertools/kafka';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventSchema, noopProcessor } from './event-schema.ts';

/**
 * The peer: what a user would write with `@aws-lambda-powertools/kafka` instead of the product —
 * the same schemas, the same no-op processor, Powertools Logger and Metrics, one metric and one
 * log line per batch. No retry queue, no dead letters: a bad record fails the batch.
 */
const logger = new Logger({ serviceName: 'eventpipe-peer' });
const metrics = new Metrics({ namespace: 'EventPipePeer', serviceName: 'eventpipe-peer' });

export const handler = kafkaConsumer<string, ReturnType<typeof EventSchema.parse>>(
  async (event, context) => {
    logger.addContext(context);
    let processed = 0;
    for (const record of event.records) {
      await noopProcessor(record.value);
      processed++;
    }
    metrics.addMetric('Processed', MetricUnit.Count, processed);
    metrics.publishStoredMetrics();
    logger.info('batch settled', { records: processed });
  },
  { value: { type: SchemaType.JSON, parserSchema: EventSchema } },
);
