import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { EventSchema, noopProcessor } from './event-schema.ts';

/**
 * The floor: the least a handler can do with the same schemas — base64 → `JSON.parse` → the
 * schemas → the no-op processor, with the same Logger and Metrics as the peer. No settling, no
 * retries, no dead letters.
 */
const logger = new Logger({ serviceName: 'eventpipe-floor' });
const metrics = new Metrics({ namespace: 'EventPipeFloor', serviceName: 'eventpipe-floor' });

interface MskEvent {
  readonly records: Record<string, readonly { readonly value?: string | null }[]>;
}

export const handler = async (event: MskEvent, context: Context): Promise<void> => {
  logger.addContext(context);
  let processed = 0;
  for (const records of Object.values(event.records)) {
    for (const record of records) {
      const value = JSON.parse(Buffer.from(record.value ?? '', 'base64').toString('utf8')) as unknown;
      await noopProcessor(EventSchema.parse(value));
      processed++;
    }
  }
  metrics.addMetric('Processed', MetricUnit.Count, processed);
  metrics.publishStoredMetrics();
  logger.info('batch settled', { records: processed });
};
