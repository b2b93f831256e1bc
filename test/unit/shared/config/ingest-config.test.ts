import { describe, expect, it } from 'vitest';
import { parseDeploymentSettings } from '#shared/config/deployment-settings.ts';
import { ingestSettings, loadIngestConfig, toIngestEnvironment } from '#shared/config/ingest-config.ts';
import { ingestFromDeployment } from '#shared/config/runtime-from-deployment.ts';
import { localIngestConfig } from '#shared/ingest/local-ingest-config.ts';

const CLUSTER_ARN =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/6f1c5e8a-1d2b-4c3d-9e8f-0a1b2c3d4e5f-2';
const VPC = {
  vpcId: 'vpc-0abc1234',
  subnetIds: ['subnet-0a1b2c3d'],
  availabilityZones: ['eu-west-1a'],
  securityGroupId: 'sg-0a1b2c3d',
};

describe('loadIngestConfig', () => {
  it('applies the defaults', () => {
    expect(
      loadIngestConfig({
        EVENTPIPE_TOPIC: 'orders',
        EVENTPIPE_KAFKA_BROKERS: '127.0.0.1:9092',
        AWS_REGION: 'eu-west-1',
      }),
    ).toEqual({
      topic: 'orders',
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaAuth: 'none',
      maxBodyBytes: 1_048_576,
      maxBatchEvents: 100,
      produceTimeoutMs: 5_000,
      retryAfterSeconds: 5,
      maxRecordBytes: 1_048_576,
      region: 'eu-west-1',
      serviceName: 'eventpipe',
      metricsNamespace: 'EventPipe',
      logLevel: 'INFO',
    });
  });

  it('names every offending variable in one message', () => {
    expect(() => loadIngestConfig({ EVENTPIPE_INGEST_MAX_BATCH_EVENTS: '0' })).toThrow(
      [
        'invalid configuration: EVENTPIPE_TOPIC: Invalid input: expected string, received undefined',
        'EVENTPIPE_INGEST_MAX_BATCH_EVENTS: Too small: expected number to be >=1',
        'AWS_REGION: Invalid input: expected string, received undefined',
      ].join('; '),
    );
  });

  it('needs brokers or an MSK cluster, and the secret of SASL/SCRAM', () => {
    expect(() =>
      loadIngestConfig({ EVENTPIPE_TOPIC: 'orders', EVENTPIPE_KAFKA_AUTH: 'scram', AWS_REGION: 'eu-west-1' }),
    ).toThrow(
      [
        'invalid configuration: EVENTPIPE_KAFKA_BROKERS: required without EVENTPIPE_MSK_CLUSTER_ARN (the brokers to produce to)',
        'EVENTPIPE_KAFKA_SECRET_ARN: required for SASL/SCRAM authentication',
      ].join('; '),
    );
  });

  it('reads back what the stack writes from the deployment settings', () => {
    // Prepare
    const settings = parseDeploymentSettings({
      source: { kind: 'msk', clusterArn: CLUSTER_ARN, auth: 'iam' },
      topic: 'orders',
      consumerGroupId: 'eventpipe-orders',
      maxRecordBytes: 262_144,
      ingest: { enabled: true, vpc: VPC, maxBatchEvents: 50, produceTimeoutMs: 3_000 },
    });
    // Act
    const environment = toIngestEnvironment(ingestFromDeployment(settings));
    // Assess
    expect(environment).toEqual({
      EVENTPIPE_TOPIC: 'orders',
      EVENTPIPE_MSK_CLUSTER_ARN: CLUSTER_ARN,
      EVENTPIPE_KAFKA_AUTH: 'iam',
      EVENTPIPE_INGEST_MAX_BODY_BYTES: '1048576',
      EVENTPIPE_INGEST_MAX_BATCH_EVENTS: '50',
      EVENTPIPE_INGEST_PRODUCE_TIMEOUT_MS: '3000',
      EVENTPIPE_INGEST_RETRY_AFTER_SECONDS: '5',
      EVENTPIPE_MAX_RECORD_BYTES: '262144',
      POWERTOOLS_SERVICE_NAME: 'eventpipe',
      POWERTOOLS_METRICS_NAMESPACE: 'EventPipe',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    expect(loadIngestConfig({ ...environment, AWS_REGION: 'eu-west-1' })).toMatchObject({
      mskClusterArn: CLUSTER_ARN,
      maxBatchEvents: 50,
      maxRecordBytes: 262_144,
    });
  });

  it('builds the local configuration: the local brokers, no authentication', () => {
    // Prepare
    const settings = parseDeploymentSettings({
      source: { kind: 'msk', clusterArn: CLUSTER_ARN, auth: 'iam' },
      topic: 'orders',
      consumerGroupId: 'eventpipe-orders',
    });
    // Act
    const config = localIngestConfig(settings, { kafkaBrokers: ['127.0.0.1:9092'], region: 'us-east-1' });
    // Assess
    expect(config).toMatchObject({ topic: 'orders', kafkaBrokers: ['127.0.0.1:9092'], kafkaAuth: 'none' });
    expect(config.mskClusterArn).toBeUndefined();
    expect(loadIngestConfig({ ...toIngestEnvironment(config), AWS_REGION: 'us-east-1' })).toEqual(config);
  });

  it('caps one event below what a default broker takes as one record with its key and headers', () => {
    // Prepare
    const base = {
      EVENTPIPE_TOPIC: 'orders',
      EVENTPIPE_KAFKA_BROKERS: '127.0.0.1:9092',
      AWS_REGION: 'eu-west-1',
    };
    // Act / Assess: 1,048,588 (message.max.bytes) − 16 KiB
    expect(ingestSettings(loadIngestConfig(base)).maxEventBytes).toBe(1_032_204);
    expect(
      ingestSettings(loadIngestConfig({ ...base, EVENTPIPE_MAX_RECORD_BYTES: '262144' })).maxEventBytes,
    ).toBe(262_144);
  });
});
