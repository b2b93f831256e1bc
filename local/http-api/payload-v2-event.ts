import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** What the emulator knows about one request when it builds the function's event. */
interface IncomingRequest {
  readonly method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  readonly url: string;
  /** e.g. `1.1` */
  readonly httpVersion: string;
  /** Node's `rawHeaders`: name, value, name, value… in arrival order, duplicates kept. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly localPort: number;
}

interface EventContext {
  readonly routeKey: string;
  readonly stage: string;
  readonly apiId: string;
  readonly accountId: string;
  readonly requestId: string;
  readonly now: Date;
}

/**
 * Media types an HTTP API hands to the function as text; every other body (a missing
 * `Content-Type` and `+json` suffixes such as `application/cloudevents-batch+json` included) arrives
 * base64-encoded with `isBase64Encoded: true`. AWS documents only "if the content type of the
 * request is binary, the body is base64-encoded"; this list was checked against a live HTTP API
 * (https://github.com/ministackorg/ministack/pull/766).
 */
const TEXT_MEDIA_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The payload format 2.0 event API Gateway sends a Lambda proxy integration for `request`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
 * header names lower-cased, repeated headers and query parameters joined with commas, `Cookie`
 * headers moved into `cookies`, the body as text or base64 by its media type.
 *
 * @example
 * ```ts
 * const event = toPayloadV2Event(request, { routeKey: 'POST /events', stage: '$default', apiId: 'local', accountId: '000000000000', requestId, now: new Date() });
 * ```
 */
function toPayloadV2Event(request: IncomingRequest, context: EventContext): APIGatewayProxyEventV2 {
  const { headers, cookies } = joinHeaders(request);
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const queryStringParameters = joinQuery(rawQueryString);
  const hasBody = request.body.length > 0;
  const text = isTextMediaType(headers['content-type']);
  return {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: headers.host ?? `127.0.0.1:${request.localPort}`,
      domainPrefix: (headers.host ?? '127.0.0.1').split('.')[0] as string,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: context.requestId,
      routeKey: context.routeKey,
      stage: context.stage,
      time: accessLogTime(context.now),
      timeEpoch: context.now.getTime(),
    },
    ...(hasBody ? { body: request.body.toString(text ? 'utf8' : 'base64') } : {}),
    isBase64Encoded: hasBody && !text,
  };
}

function joinHeaders(request: IncomingRequest): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] as string).toLowerCase();
    const value = request.rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((cookie) => cookie.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  // What the gateway adds in front of the function (aws-lambda-go testdata/apigw-v2-request-no-authorizer.json).
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';
  // The X-Ray trace header the gateway starts (Root=1-<epoch seconds, hex>-<96 random bits, hex>).
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(Date.now() / 1_000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return { headers, cookies };
}

function joinQuery(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const joined: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    joined[name] = name in joined ? `${joined[name]},${value}` : value;
  }
  return joined;
}

function isTextMediaType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return mediaType.startsWith('text/') || TEXT_MEDIA_TYPES.has(mediaType);
}

/** `21/Apr/2020:15:08:21 +0000`, the access-log time format the event's `time` uses. */
function accessLogTime(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(now.getUTCDate())}/${MONTHS[now.getUTCMonth()]}/${now.getUTCFullYear()}:${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} +0000`;
}

export type { EventContext, IncomingRequest };
export { toPayloadV2Event };
