import { GatewayResponses } from './gateway-responses.ts';

/** What the emulator writes back to the client. */
interface HttpAnswer {
  readonly statusCode: number;
  /** `set-cookie` may repeat; every other header once. */
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * How API Gateway turns a format 2.0 function result into the HTTP response
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
 * "Lambda function response format"): an object with `statusCode` is used as given — headers,
 * `cookies` as one `Set-Cookie` each, `body` (base64-decoded when `isBase64Encoded`). Anything else
 * that is valid JSON (a string, an object without `statusCode`, a number) is inferred as
 * `200`, `content-type: application/json`, the value as the body
 * (https://repost.aws/knowledge-center/api-gateway-status-codes-http-api). A result it cannot map
 * (no result at all, a non-numeric status) is a 502.
 *
 * @example
 * ```ts
 * const answer = fromPayloadV2Result({ statusCode: 202, body: '{"accepted":["a"]}' });
 * ```
 */
function fromPayloadV2Result(result: unknown): HttpAnswer {
  if (result === undefined) return gatewayAnswer(GatewayResponses.FUNCTION_ERROR);
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const structured = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const statusCode = structured.statusCode;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    return gatewayAnswer(GatewayResponses.FUNCTION_ERROR);
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    headers[name.toLowerCase()] = String(value);
  }
  if (Array.isArray(structured.cookies) && structured.cookies.length > 0) {
    headers['set-cookie'] = structured.cookies.map(String);
  }
  const rawBody = typeof structured.body === 'string' ? structured.body : '';
  const body = Buffer.from(rawBody, structured.isBase64Encoded === true ? 'base64' : 'utf8');
  return { statusCode, headers, body };
}

function gatewayAnswer(response: { statusCode: number; body: string }): HttpAnswer {
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(response.body),
  };
}

export type { HttpAnswer };
export { fromPayloadV2Result, gatewayAnswer };
