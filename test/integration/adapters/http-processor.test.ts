import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProcessor } from '#shared/adapters/http-processor.ts';
import { eventTypes } from '#shared/events/index.ts';
import { runWithDeadline, startDeadline } from '#shared/pipeline/batch.ts';
import { DeadlineExceededError, PermanentError, TransientError } from '#shared/pipeline/errors.ts';
import { validateEvent } from '#shared/pipeline/validate.ts';
import { kafkaCoordinates, orderPlaced } from '../../fixtures/factories.ts';

const received: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      const status = Number(request.url?.slice(1));
      if (request.url === '/hang') return; // never answers
      if (status === 429) response.setHeader('retry-after', '7');
      response.writeHead(Number.isNaN(status) ? 404 : status, { 'content-type': 'text/plain' });
      response.end(status >= 400 ? `failure body for ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const event = validateEvent(orderPlaced('evt-42'), eventTypes);
const source = kafkaCoordinates({ timestamp: 0 });

async function call(path: string, options: { timeoutMs?: number; deadlineMs?: number; url?: string } = {}) {
  const processor = httpProcessor(options.url ?? `${base}${path}`, { timeoutMs: options.timeoutMs ?? 2_000 });
  const deadline = startDeadline(Date.now() + (options.deadlineMs ?? 5_000));
  const context = { idempotencyKey: event.id, attempt: 1, source, signal: deadline.signal };
  return runWithDeadline(processor, event, context, deadline).finally(deadline.clear);
}

describe('httpProcessor against a real HTTP server', () => {
  it('succeeds on 200 and sends the event with its id as Idempotency-Key', async () => {
    await expect(call('/200')).resolves.toBeUndefined();
    const request = received.find((r) => r.path === '/200');
    expect(request?.headers['idempotency-key']).toBe('evt-42');
    expect(request?.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({
      id: 'evt-42',
      type: 'order.placed',
      data: { orderId: 'o-evt-42' },
    });
  });

  it.each([400, 404])('classifies %i as permanent', async (status) => {
    const error = await call(`/${status}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    // The response body may echo the payload: kept for the dead letter, out of the logged message
    expect((error as Error).message).toBe(`HTTP ${status} from ${base}/${status}`);
    expect((error as PermanentError).details).toEqual({ responseBody: `failure body for ${status}` });
  });

  it.each([408, 500, 503])('classifies %i as transient', async (status) => {
    const error = await call(`/${status}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterSeconds).toBeUndefined();
  });

  it('classifies 429 as transient and keeps Retry-After', async () => {
    const error = await call('/429').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterSeconds).toBe(7);
  });

  it('gives up on a hanging server at the per-request timeout (transient)', async () => {
    const error = await call('/hang', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(`no response from ${base}/hang within 300 ms`);
  });

  it('gives up on a hanging server at the invocation deadline when that comes first', async () => {
    const started = Date.now();
    const error = await call('/hang', { timeoutMs: 10_000, deadlineMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('classifies connection refused as transient, naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await call('', { url: `http://127.0.0.1:${port}/events` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(`request to http://127.0.0.1:${port}/events failed: ECONNREFUSED`);
  });

  it('keeps query strings (which may hold tokens) out of error messages', async () => {
    const error = await call('', { url: `${base}/503?token=s3cr3t` }).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain('s3cr3t');
  });
});
