import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeLocally, type LocalHandler } from '../esm/invoke.ts';
import { type GatewayResponse, GatewayResponses } from './gateway-responses.ts';
import { toPayloadV2Event } from './payload-v2-event.ts';
import { fromPayloadV2Result, gatewayAnswer, type HttpAnswer } from './payload-v2-response.ts';
import { TokenBucket } from './token-bucket.ts';

/** HTTP API's payload quota (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
const HTTP_API_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const LOCAL_ACCOUNT_ID = '000000000000';
/** Lambda's default timeout: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html */
const DEFAULT_FUNCTION_TIMEOUT_MS = 3_000;

/** One route's function: the handler and how Lambda runs it. */
interface HttpApiRoute {
  readonly handler: LocalHandler;
  readonly functionName: string;
  /** @default 3 s (Lambda's default) */
  readonly timeoutMs?: number;
  /** At most this many invocations in flight (the function's reserved concurrency); unset: no limit. */
  readonly reservedConcurrency?: number;
}

interface HttpApiEmulatorOptions {
  /** By route key, e.g. `POST /events`. */
  readonly routes: Readonly<Record<string, HttpApiRoute>>;
  /** The stage's default route throttling (`ThrottlingRateLimit`, `ThrottlingBurstLimit`); unset: none. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Stands in for IAM: every route wants `Authorization: Bearer <token>`; unset: open routes. */
  readonly bearerToken?: string;
  /** @default 10 MiB (HTTP API's quota) */
  readonly maxPayloadBytes?: number;
  /** Told about every answer: who gave it and its status (the live view counts them). */
  readonly onAnswer?: (answer: AnsweredRequest) => void;
}

interface AnsweredRequest {
  readonly routeKey: string | undefined;
  readonly statusCode: number;
  /** `gateway`: the emulator refused or failed it itself; `function`: the handler's answer. */
  readonly by: 'gateway' | 'function';
  readonly body: Buffer;
  /** How long the function ran (what Lambda bills), when it was invoked. */
  readonly functionMs?: number;
}

interface HttpApiStats {
  /** Requests answered, by status code. */
  readonly byStatus: Map<number, number>;
  inFlight: number;
  maxInFlight: number;
}

/**
 * A small stand-in for an API Gateway HTTP API with Lambda proxy integrations (payload format
 * 2.0), on 127.0.0.1: it matches the route, checks the bearer token (for IAM), takes a token from
 * the stage's bucket, holds the function to its reserved concurrency, builds the event, invokes the
 * handler in this process and maps its result back — answering by itself, as API Gateway does,
 * where the request never reaches the function. The order of the checks follows the request's
 * way through the service: route, authorization, throttling, Lambda's concurrency.
 *
 * @example
 * ```ts
 * const api = new HttpApiEmulator({ routes: { 'POST /events': { handler, functionName: 'ingest' } }, throttle: { rateLimit: 100, burstLimit: 50 }, bearerToken });
 * const url = await api.start(8787);
 * ```
 */
class HttpApiEmulator {
  readonly stats: HttpApiStats = { byStatus: new Map(), inFlight: 0, maxInFlight: 0 };
  readonly #options: HttpApiEmulatorOptions;
  readonly #bucket?: TokenBucket;
  readonly #inFlightByRoute = new Map<string, number>();
  #server?: Server;

  constructor(options: HttpApiEmulatorOptions) {
    this.#options = options;
    if (options.throttle) {
      this.#bucket = new TokenBucket({
        ratePerSecond: options.throttle.rateLimit,
        burst: options.throttle.burstLimit,
      });
    }
  }

  /** Listens on 127.0.0.1 (`port` 0: any free port) and returns the base URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((request, response) => void this.#serve(request, response));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Stops accepting connections and waits for the requests in flight to be answered. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const routeKey = this.#routeKeyOf(request);
    const answer = await this.#answer(request, routeKey).catch((): [HttpAnswer, 'gateway', undefined] => [
      gatewayAnswer(GatewayResponses.FUNCTION_ERROR),
      'gateway',
      undefined,
    ]);
    const [http, by, functionMs] = answer;
    const requestId = randomBytes(10).toString('base64');
    response.writeHead(http.statusCode, {
      ...http.headers,
      'content-length': http.body.length,
      // Every HTTP API answer carries its request id.
      'apigw-requestid': requestId,
    });
    response.end(http.body);
    this.stats.byStatus.set(http.statusCode, (this.stats.byStatus.get(http.statusCode) ?? 0) + 1);
    this.#options.onAnswer?.({ routeKey, statusCode: http.statusCode, by, body: http.body, functionMs });
  }

  async #answer(
    request: IncomingMessage,
    routeKey: string | undefined,
  ): Promise<[HttpAnswer, 'gateway' | 'function', number | undefined]> {
    const refuse = (response: GatewayResponse): [HttpAnswer, 'gateway', undefined] => {
      request.resume();
      return [gatewayAnswer(response), 'gateway', undefined];
    };
    const route = routeKey === undefined ? undefined : this.#options.routes[routeKey];
    if (routeKey === undefined || !route) return refuse(GatewayResponses.NOT_FOUND);
    if (!this.#authorized(request)) return refuse(GatewayResponses.FORBIDDEN);
    if (this.#bucket && !this.#bucket.tryTake()) return refuse(GatewayResponses.THROTTLED);
    const body = await readBody(request, this.#options.maxPayloadBytes ?? HTTP_API_MAX_PAYLOAD_BYTES);
    if (body === undefined) return refuse(GatewayResponses.PAYLOAD_TOO_LARGE);
    const inFlight = this.#inFlightByRoute.get(route.functionName) ?? 0;
    if (route.reservedConcurrency !== undefined && inFlight >= route.reservedConcurrency) {
      return refuse(GatewayResponses.INVOCATION_REFUSED);
    }
    this.#inFlightByRoute.set(route.functionName, inFlight + 1);
    this.stats.inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    try {
      const event = toPayloadV2Event(
        {
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          httpVersion: request.httpVersion,
          rawHeaders: request.rawHeaders,
          body,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          localPort: request.socket.localPort ?? 0,
        },
        {
          routeKey,
          stage: '$default',
          apiId: 'local',
          accountId: LOCAL_ACCOUNT_ID,
          requestId: randomBytes(10).toString('base64'),
          now: new Date(),
        },
      );
      const invoked = performance.now();
      const result = await invokeLocally(route.handler, event, {
        functionName: route.functionName,
        timeoutMs: route.timeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS,
      }).then(
        (value) => ({ value }),
        () => undefined,
      );
      const functionMs = performance.now() - invoked;
      // A thrown error or a timeout is a function error: 502, the error itself not shown.
      if (!result) return [gatewayAnswer(GatewayResponses.FUNCTION_ERROR), 'gateway', functionMs];
      const mapped = fromPayloadV2Result(result.value);
      return [mapped, result.value === undefined ? 'gateway' : 'function', functionMs];
    } finally {
      this.#inFlightByRoute.set(route.functionName, (this.#inFlightByRoute.get(route.functionName) ?? 1) - 1);
      this.stats.inFlight -= 1;
    }
  }

  #routeKeyOf(request: IncomingMessage): string | undefined {
    const path = (request.url ?? '/').split('?', 1)[0];
    const exact = `${request.method} ${path}`;
    if (exact in this.#options.routes) return exact;
    return '$default' in this.#options.routes ? '$default' : undefined;
  }

  #authorized(request: IncomingMessage): boolean {
    const token = this.#options.bearerToken;
    if (token === undefined) return true;
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    if (!match) return false;
    const given = Buffer.from(match[1] as string);
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/** The whole body, or `undefined` as soon as it passes `limit` (the rest is drained, not kept). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export type { AnsweredRequest, HttpApiEmulatorOptions, HttpApiRoute, HttpApiStats };
export { HTTP_API_MAX_PAYLOAD_BYTES, HttpApiEmulator };
