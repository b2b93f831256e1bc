import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import { elasticMqService } from './elasticmq-service.ts';
import { ServiceError } from './errors.ts';
import { kafkaService } from './kafka-service.ts';
import type { LocalService } from './local-service.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The services that back the configured endpoints: Kafka on the first broker's port, ElasticMQ on
 * the SQS endpoint's port, both bound to 127.0.0.1. Endpoints off this machine are refused: the
 * manager only runs services on loopback.
 *
 * @example
 * ```ts
 * const [kafka, sqs] = localServices(loadLocalEndpoints(process.env));
 * ```
 */
function localServices(endpoints: LocalEndpoints): LocalService[] {
  const [kafkaHost = '', kafkaPort = ''] = (endpoints.kafkaBrokers[0] ?? '').split(':');
  const sqsUrl = new URL(endpoints.sqsEndpoint);
  for (const host of [kafkaHost, sqsUrl.hostname]) {
    if (!LOOPBACK.has(host)) {
      throw new ServiceError(
        `the local services run on loopback only, but an endpoint names ${host}; unset EVENTPIPE_KAFKA_BROKERS / EVENTPIPE_SQS_ENDPOINT or point them at 127.0.0.1`,
      );
    }
  }
  return [
    kafkaService({ host: '127.0.0.1', port: Number(kafkaPort) }),
    elasticMqService({ host: '127.0.0.1', port: Number(sqsUrl.port || 80) }, endpoints.region),
  ];
}

export { localServices };
