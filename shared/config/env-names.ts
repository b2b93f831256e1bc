/**
 * The environment variables the product reads, in one place. Only `shared/config/` reads
 * `process.env`; everything else receives a parsed configuration object.
 */
const ENV = {
  /** Comma-separated `host:port` list of the Kafka brokers the local runtime and tests use. */
  KAFKA_BROKERS: 'EVENTPIPE_KAFKA_BROKERS',
  /** Endpoint override for SQS (ElasticMQ or LocalStack locally); unset on AWS. */
  SQS_ENDPOINT: 'EVENTPIPE_SQS_ENDPOINT',
  /** The AWS region; Lambda sets it. */
  AWS_REGION: 'AWS_REGION',
} as const;

export { ENV };
