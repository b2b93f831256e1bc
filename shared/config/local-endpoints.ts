import * as z from 'zod';
import { ENV } from './env-names.ts';
import { formatConfigError } from './format-config-error.ts';

const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
const DEFAULT_SQS_ENDPOINT = 'http://127.0.0.1:9324';
const DEFAULT_LOCAL_REGION = 'us-east-1';

const BrokerSchema = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port');

/**
 * Where the local stack listens: the Kafka brokers and the SQS-compatible endpoint. Defaults match
 * `npm run services:up` (Kafka and ElasticMQ on loopback); the docker-compose alternative
 * (Redpanda, LocalStack) needs only these variables changed.
 *
 * ```json
 * { "kafkaBrokers": ["127.0.0.1:9092"], "sqsEndpoint": "http://127.0.0.1:9324", "region": "us-east-1" }
 * ```
 */
const LocalEndpointsSchema = z.object({
  kafkaBrokers: z
    .string()
    .default(DEFAULT_KAFKA_BROKERS)
    .transform((list) => list.split(',').map((broker) => broker.trim()))
    .pipe(z.array(BrokerSchema).min(1)),
  sqsEndpoint: z.url().default(DEFAULT_SQS_ENDPOINT),
  region: z.string().min(1).default(DEFAULT_LOCAL_REGION),
});

type LocalEndpoints = z.infer<typeof LocalEndpointsSchema>;

/**
 * Reads the local endpoints from an environment, failing with the variable's name.
 *
 * @param env - the environment to read, usually `process.env`
 * @example
 * ```ts
 * const { kafkaBrokers, sqsEndpoint } = loadLocalEndpoints(process.env);
 * ```
 */
function loadLocalEndpoints(env: Readonly<Record<string, string | undefined>>): LocalEndpoints {
  const raw = {
    kafkaBrokers: env[ENV.KAFKA_BROKERS] || undefined,
    sqsEndpoint: env[ENV.SQS_ENDPOINT] || undefined,
    region: env[ENV.AWS_REGION] || undefined,
  };
  const parsed = LocalEndpointsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      formatConfigError(parsed.error, {
        kafkaBrokers: ENV.KAFKA_BROKERS,
        sqsEndpoint: ENV.SQS_ENDPOINT,
        region: ENV.AWS_REGION,
      }),
    );
  }
  return parsed.data;
}

export type { LocalEndpoints };
export { DEFAULT_LOCAL_REGION, LocalEndpointsSchema, loadLocalEndpoints };
