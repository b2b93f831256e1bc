import { type Duration, Stack } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { INGEST_ROUTE } from '#shared/ingest/ingest-handler.ts';
import { grantKafkaWrite, type KafkaWriteTarget } from '../kafka-consumer/msk-iam.ts';
import { LOG_RETENTION } from '../pipeline-function/defaults.ts';
import { PipelineFunction, type VpcPlacement } from '../pipeline-function/index.ts';
import {
  DEFAULT_INGEST_MEMORY_MB,
  DEFAULT_INGEST_RESERVED_CONCURRENCY,
  DEFAULT_INGEST_THROTTLE,
  DEFAULT_INGEST_TIMEOUT,
  INGEST_ACCESS_LOG_FORMAT,
} from './defaults.ts';

interface IngestApiProps {
  /** The source topic, and how the function reaches its cluster. */
  readonly kafka: KafkaWriteTarget;
  /** The function's runtime configuration (see `toIngestEnvironment`). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Who may call `POST /events`, in CDK's own terms (e.g. `HttpJwtAuthorizer`).
   * @default - IAM: SigV4-signed requests from principals allowed `execute-api:Invoke` ({@link IngestApi.grantInvoke})
   */
  readonly authorizer?: IHttpRouteAuthorizer;
  /** The stage's route throttling; excess requests get 429. @default - rate 100/s, burst 200 */
  readonly throttle?: ThrottleSettings;
  /** The most concurrent invocations; excess requests get 429. @default 10 */
  readonly reservedConcurrentExecutions?: number;
  /** Within the HTTP API's 30 s integration timeout. @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Network placement, needed to reach MSK or a VPC-only cluster. @default - not in a VPC */
  readonly vpc?: VpcPlacement;
}

/**
 * The HTTP front door: an API Gateway HTTP API whose one route, `POST /events` (payload format
 * 2.0), invokes the ingest function, which validates the events and produces them to the source
 * topic. Admission control at two levels: the `$default` stage's throttling and the function's
 * reserved concurrency both answer excess with 429. Secure by default: IAM authorization on the
 * route, JSON access logs without bodies in the construct's own log group, the function allowed
 * to write the source topic only. Fixed: Node 24 on arm64 with its own role ({@link PipelineFunction}).
 *
 * @example
 * ```ts
 * const api = new IngestApi(this, 'Ingest', { kafka: { topic: 'orders', mskClusterArn, iamAuth: true }, environment, vpc });
 * api.grantInvoke(producerRole);
 * ```
 */
class IngestApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly pipelineFunction: PipelineFunction;
  readonly accessLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    this.pipelineFunction = new PipelineFunction(this, 'Ingest', {
      functionDir: 'ingest',
      timeout: props.timeout ?? DEFAULT_INGEST_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_INGEST_MEMORY_MB,
      environment: props.environment,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? DEFAULT_INGEST_RESERVED_CONCURRENCY,
      vpc: props.vpc,
      // The same bundle switch carries the Kafka producer and the MSK IAM signer.
      kafkaDeadLetters: true,
    });
    // Broker discovery and write access to the source topic only; idempotent writes on the cluster.
    grantKafkaWrite(this.pipelineFunction.role, props.kafka, { idempotentWrite: true });
    this.httpApi = new HttpApi(this, 'Api', {
      description: `eventpipe HTTP front door (${Stack.of(this).stackName})`,
      createDefaultStage: false,
    });
    this.httpApi.addRoutes({
      path: INGEST_ROUTE.path,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('Ingest', this.pipelineFunction.lambdaFunction),
      authorizer: props.authorizer ?? new HttpIamAuthorizer(),
    });
    this.accessLogGroup = new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_INGEST_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: INGEST_ACCESS_LOG_FORMAT,
      },
    });
  }

  /** The URL of `POST /events`. */
  get eventsUrl(): string {
    return `${this.stage.url.replace(/\/$/, '')}${INGEST_ROUTE.path}`;
  }

  /**
   * Lets a principal call the route with SigV4 (IAM authorization): `execute-api:Invoke` on
   * `POST /events` of this stage only.
   */
  grantInvoke(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: [
          this.httpApi.arnForExecuteApi(INGEST_ROUTE.method, INGEST_ROUTE.path, this.stage.stageName),
        ],
      }),
    );
  }
}

export type { IngestApiProps };
export { IngestApi };
