import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpApiEmulator } from '../../../../local/http-api/http-api-emulator.ts';
import { rawRequest } from './http-client.ts';

/**
 * The event the emulator hands the function, checked against outside references:
 * - AWS: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 *   (header names lower-cased; repeated headers and query parameters joined with commas; `Cookie`
 *   headers into `cookies`; `rawPath`, `rawQueryString`; `requestContext.http`).
 * - aws-lambda-go `events/apigw.go` `APIGatewayV2HTTPRequest` and its testdata
 *   `apigw-v2-request-no-authorizer.json` (a curl request through a real HTTP API), kept in
 *   test/fixtures/http-api/: every field of it exists here with the same JSON type.
 * - @types/aws-lambda `APIGatewayProxyEventV2` (the type the emulator builds).
 * - Text or base64 body by media type, as checked against a live HTTP API in
 *   https://github.com/ministackorg/ministack/pull/766.
 */
const reference = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../../../fixtures/http-api/go-apigw-v2-request-no-authorizer.json'),
    'utf8',
  ),
) as Record<string, unknown>;

/** Every key path of a JSON value with the type found there, e.g. `requestContext.http.method: string`. */
function shapeOf(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: ${Array.isArray(value) ? 'array' : typeof value}`];
  }
  return Object.entries(value).flatMap(([key, child]) => shapeOf(child, path ? `${path}.${key}` : key));
}

describe('the payload format 2.0 event', () => {
  let api: HttpApiEmulator | undefined;
  afterEach(async () => api?.stop());

  async function capture(
    routeKey: string,
    send: (url: string) => Promise<unknown>,
  ): Promise<APIGatewayProxyEventV2> {
    const events: APIGatewayProxyEventV2[] = [];
    api = new HttpApiEmulator({
      routes: {
        [routeKey]: {
          functionName: 'capture',
          handler: async (event) => {
            events.push(event as APIGatewayProxyEventV2);
            return { statusCode: 204 };
          },
        },
      },
    });
    await send(await api.start());
    expect(events).toHaveLength(1);
    return events[0] as APIGatewayProxyEventV2;
  }

  it('has every field a real HTTP API sends, with the same types', async () => {
    const event = await capture('$default', (url) =>
      rawRequest(`${url}/`, {
        headers: ['Accept', '*/*', 'User-Agent', 'curl/8.5.0', 'Content-Length', '0'],
      }),
    );
    const ours = new Set(shapeOf(event));
    // Mutual TLS only, which the emulator does not offer.
    const expected = shapeOf(reference).filter((path) => !path.startsWith('requestContext.authentication'));
    expect(expected.filter((path) => !ours.has(path))).toEqual([]);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      isBase64Encoded: false,
      requestContext: {
        routeKey: '$default',
        stage: '$default',
        http: {
          method: 'GET',
          path: '/',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8.5.0',
        },
      },
    });
    expect(event.body).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(60_000);
  });

  it('lower-cases header names, joins repeats with commas, moves cookies and joins query repeats', async () => {
    const event = await capture('POST /my/path', (url) =>
      rawRequest(`${url}/my/path?parameter1=value1&parameter1=value2&parameter2=value`, {
        method: 'POST',
        headers: [
          'Header1',
          'value1',
          'X-Repeated',
          'value1',
          'x-repeated',
          'value2',
          'Cookie',
          'cookie1=a; cookie2=b',
          'Content-Type',
          'application/json',
        ],
        body: '{"a":1}',
      }),
    );
    expect(event.routeKey).toBe('POST /my/path');
    expect(event.rawPath).toBe('/my/path');
    expect(event.rawQueryString).toBe('parameter1=value1&parameter1=value2&parameter2=value');
    expect(event.queryStringParameters).toEqual({ parameter1: 'value1,value2', parameter2: 'value' });
    expect(event.cookies).toEqual(['cookie1=a', 'cookie2=b']);
    expect(event.headers).toMatchObject({ header1: 'value1', 'x-repeated': 'value1,value2' });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect([event.body, event.isBase64Encoded]).toEqual(['{"a":1}', false]);
  });

  it('base64-encodes a body whose media type is not text, CloudEvents batches included', async () => {
    const batch = '[{"specversion":"1.0","id":"e-1"}]';
    const event = await capture('POST /events', (url) =>
      rawRequest(`${url}/events`, {
        method: 'POST',
        headers: ['Content-Type', 'application/cloudevents-batch+json; charset=utf-8'],
        body: batch,
      }),
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body as string, 'base64').toString()).toBe(batch);
  });

  it('passes text/* bodies as text', async () => {
    const event = await capture('POST /events', (url) =>
      rawRequest(`${url}/events`, {
        method: 'POST',
        headers: ['Content-Type', 'text/plain'],
        body: 'héllo',
      }),
    );
    expect([event.body, event.isBase64Encoded]).toEqual(['héllo', false]);
  });
});
