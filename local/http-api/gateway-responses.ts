/**
 * The answers API Gateway (HTTP API) gives by itself, without the function: status and JSON body
 * exactly as the service sends them. Each cites where its shape comes from.
 */
interface GatewayResponse {
  readonly statusCode: number;
  readonly body: string;
}

const GatewayResponses = {
  /**
   * The stage's token bucket is empty. API Gateway sends no `Retry-After` with it (botocore checked
   * when it added 429 to its retried codes: https://github.com/boto/botocore/pull/750), so neither
   * does the emulator; the client backs off on its own.
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
   */
  THROTTLED: { statusCode: 429, body: '{"message":"Too Many Requests"}' },
  /**
   * IAM authorization failed (no or a wrong credential). An HTTP API route with `AWS_IAM` answers an
   * unsigned request 403 (aws-cdk `HttpIamAuthorizer` integ test: "curl without sigv4 should result
   * in a 403"; https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden).
   */
  FORBIDDEN: { statusCode: 403, body: '{"message":"Forbidden"}' },
  /** No route matches the method and path. */
  NOT_FOUND: { statusCode: 404, body: '{"message":"Not Found"}' },
  /** The request is over HTTP API's 10 MB payload quota. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html */
  PAYLOAD_TOO_LARGE: { statusCode: 413, body: '{"message":"Request Entity Too Large"}' },
  /**
   * Lambda refused the invocation — among others because the function's reserved concurrency is in
   * use (`TooManyRequestsException`): API Gateway answers 500, not 429, and does not retry.
   * https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html ,
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
   */
  INVOCATION_REFUSED: { statusCode: 500, body: '{"message":"Internal Server Error"}' },
  /** The function ran but failed, or answered in a shape API Gateway cannot map (same page). */
  FUNCTION_ERROR: { statusCode: 502, body: '{"message":"Internal Server Error"}' },
} as const satisfies Record<string, GatewayResponse>;

export type { GatewayResponse };
export { GatewayResponses };
