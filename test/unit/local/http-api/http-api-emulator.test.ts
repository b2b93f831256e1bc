import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalHandler } from '../../../../local/esm/invoke.ts';
import {
  HttpApiEmulator,
  type HttpApiEmulatorOptions,
} from '../../../../local/http-api/http-api-emulator.ts';
import { rawRequest } from './http-client.ts';

/**
 * What API Gateway answers by itself, before or instead of the function, over real HTTP on
 * 127.0.0.1 with a small real handler. Sources (also in local/http-api/gateway-responses.ts):
 * - 429 `{"message":"Too Many Requests"}`, no `Retry-After`:
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html ,
 *   https://github.com/boto/botocore/pull/750 (checked: no retry-after header).
 * - Lambda throttled (reserved concurrency in use) → 500 `{"message":"Internal Server Error"}`, not
 *   429: https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html ("If the Lambda
 *   API rejects the invocation request, API Gateway returns a 500"),
 *   https://repost.aws/questions/QUfI6bsdd0SOiPeyimzxSkfQ (a throttled function reaches the client as 500).
 * - function error → 502 (same Lambda page); failed IAM auth → 403
 *   (https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden).
 */
const TOKEN = 'local-test-token';
const json = ['Content-Type', 'application/json'];
const bearer = ['Authorization', `Bearer ${TOKEN}`];

describe('HttpApiEmulator', () => {
  let api: HttpApiEmulator | undefined;
  afterEach(async () => api?.stop());

  async function serve(
    handler: LocalHandler,
    options: Partial<HttpApiEmulatorOptions> & { reservedConcurrency?: number } = {},
  ): Promise<string> {
    api = new HttpApiEmulator({
      routes: {
        'POST /events': { handler, functionName: 'ingest', reservedConcurrency: options.reservedConcurrency },
      },
      ...options,
    });
    return api.start();
  }
  const accept: LocalHandler = async () => ({ statusCode: 202, body: '{"accepted":1}' });

  it('invokes the function and returns its answer, with an apigw-requestid', async () => {
    const url = await serve(accept, { bearerToken: TOKEN });
    const response = await rawRequest(`${url}/events`, {
      method: 'POST',
      headers: [...json, ...bearer],
      body: '{}',
    });
    expect([response.status, response.body]).toEqual([202, '{"accepted":1}']);
    expect(response.headers['apigw-requestid']).toMatch(/\S+/);
    expect(api?.stats.byStatus.get(202)).toBe(1);
  });

  it('answers 403 Forbidden without the bearer token or with a wrong one, never invoking the function', async () => {
    let invoked = 0;
    const url = await serve(
      async () => {
        invoked++;
        return { statusCode: 202 };
      },
      { bearerToken: TOKEN },
    );
    for (const headers of [
      json,
      [...json, 'Authorization', 'Bearer wrong'],
      [...json, 'Authorization', TOKEN],
    ]) {
      const response = await rawRequest(`${url}/events`, { method: 'POST', headers, body: '{}' });
      expect([response.status, response.body]).toEqual([403, '{"message":"Forbidden"}']);
    }
    expect(invoked).toBe(0);
  });

  it('answers 404 Not Found for a route it does not have', async () => {
    const url = await serve(accept);
    const response = await rawRequest(`${url}/nowhere`, { method: 'POST', headers: json, body: '{}' });
    expect([response.status, response.body]).toEqual([404, '{"message":"Not Found"}']);
    expect((await rawRequest(`${url}/events`)).status).toBe(404);
  });

  it('answers 429 Too Many Requests, without Retry-After, once the burst is spent', async () => {
    const url = await serve(accept, { throttle: { rateLimit: 0.001, burstLimit: 3 } });
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof rawRequest>> | undefined;
    for (let i = 0; i < 5; i++) {
      const response = await rawRequest(`${url}/events`, { method: 'POST', headers: json, body: '{}' });
      statuses.push(response.status);
      if (response.status === 429) throttled = response;
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(throttled?.body).toBe('{"message":"Too Many Requests"}');
    expect(throttled?.headers['retry-after']).toBeUndefined();
  });

  it('answers 500 when the function is at its reserved concurrency, as a throttled Lambda integration does', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const url = await serve(
      async () => {
        await held;
        return { statusCode: 202 };
      },
      { reservedConcurrency: 2 },
    );
    const post = () => rawRequest(`${url}/events`, { method: 'POST', headers: json, body: '{}' });
    const first = [post(), post()];
    while ((api?.stats.inFlight ?? 0) < 2) await sleep(5);
    const refused = await post();
    expect([refused.status, refused.body]).toEqual([500, '{"message":"Internal Server Error"}']);
    release();
    expect((await Promise.all(first)).map((response) => response.status)).toEqual([202, 202]);
    expect(api?.stats.maxInFlight).toBe(2);
    expect((await post()).status).toBe(202);
  });

  it('answers 502 when the function throws, without its error', async () => {
    const url = await serve(async () => {
      throw new Error('secret detail');
    });
    const response = await rawRequest(`${url}/events`, { method: 'POST', headers: json, body: '{}' });
    expect([response.status, response.body]).toEqual([502, '{"message":"Internal Server Error"}']);
  });

  it('passes the handler’s own 503 and Retry-After through', async () => {
    const url = await serve(async () => ({
      statusCode: 503,
      headers: { 'Retry-After': '2' },
      body: '{"message":"broker unreachable"}',
    }));
    const response = await rawRequest(`${url}/events`, { method: 'POST', headers: json, body: '{}' });
    expect([response.status, response.headers['retry-after']]).toEqual([503, '2']);
  });

  it('answers 413 past the payload limit, never invoking the function', async () => {
    let invoked = 0;
    const url = await serve(
      async () => {
        invoked++;
        return { statusCode: 202 };
      },
      { maxPayloadBytes: 1_000 },
    );
    const response = await rawRequest(`${url}/events`, {
      method: 'POST',
      headers: json,
      body: 'x'.repeat(1_001),
    });
    expect([response.status, response.body]).toEqual([413, '{"message":"Request Entity Too Large"}']);
    expect(invoked).toBe(0);
  });
});
