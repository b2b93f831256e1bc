import { Duration } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { DeploymentFieldsSchema } from '#shared/config/deployment-settings.ts';

/** The settings schema's defaults, stated there once. */
const INGEST = DeploymentFieldsSchema.shape.ingest.parse(undefined);

/** Steady requests per second and burst of the stage's routes; past them, API Gateway answers 429. */
const DEFAULT_INGEST_THROTTLE = {
  rateLimit: INGEST.throttling.rateLimit,
  burstLimit: INGEST.throttling.burstLimit,
};
/** The most concurrent ingest invocations; past it, Lambda throttles and API Gateway answers 429. */
const DEFAULT_INGEST_RESERVED_CONCURRENCY = INGEST.reservedConcurrency;
/** Within the HTTP API's 30 s integration timeout, above the produce timeout. */
const DEFAULT_INGEST_TIMEOUT = Duration.seconds(INGEST.timeoutSeconds);
const DEFAULT_INGEST_MEMORY_MB = INGEST.memoryMb;

/**
 * One JSON line per request: who called (IAM caller or JWT subject), the route, the status and
 * latencies, and why an authorizer or the integration failed. HTTP APIs have no variable for the
 * request or response body, so no payload reaches the access log.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
const INGEST_ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    sourceIp: AccessLogField.contextIdentitySourceIp(),
    caller: AccessLogField.contextIdentityCaller(),
    userArn: AccessLogField.contextIdentityUserArn(),
    jwtSubject: '$context.authorizer.claims.sub',
    routeKey: '$context.routeKey',
    status: AccessLogField.contextStatus(),
    protocol: AccessLogField.contextProtocol(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: AccessLogField.contextAuthorizerError(),
    errorMessage: AccessLogField.contextErrorMessage(),
  }),
);

export {
  DEFAULT_INGEST_MEMORY_MB,
  DEFAULT_INGEST_RESERVED_CONCURRENCY,
  DEFAULT_INGEST_THROTTLE,
  DEFAULT_INGEST_TIMEOUT,
  INGEST_ACCESS_LOG_FORMAT,
};
