import { afterEach, describe, expect, it } from 'vitest';
import { HttpApiEmulator } from '../../../../local/http-api/http-api-emulator.ts';
import { produceViaHttp } from '../../../../local/produce/http-load-generator.ts';

/**
 * `eventpipe produce --via http` against the emulator with a small real function (no Kafka): it
 * reads each batch as the ingest function would and accepts the events whose `type` it knows.
 */
describe('produceViaHttp', () => {
  let api: HttpApiEmulator | undefined;
  afterEach(async () => api?.stop());

  async function serve(options: { rateLimit?: number; burstLimit?: number } = {}): Promise<string> {
    api = new HttpApiEmulator({
      bearerToken: 'token',
      ...(options.rateLimit === undefined
        ? {}
        : { throttle: { rateLimit: options.rateLimit, burstLimit: options.burstLimit ?? 1 } }),
      routes: {
        'POST /events': {
          functionName: 'ingest',
          handler: async (event) => {
            const { body, isBase64Encoded, headers } = event as {
              body: string;
              isBase64Encoded: boolean;
              headers: Record<string, string>;
            };
            const text = isBase64Encoded ? Buffer.from(body, 'base64').toString() : body;
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              return { statusCode: 400, body: '{"message":"the body is not JSON"}' };
            }
            const events = (headers['content-type']?.includes('batch') ? parsed : [parsed]) as {
              id: string;
              type: string;
            }[];
            const accepted = events.filter((e) => e.type !== 'order.teleported').map((e) => e.id);
            const refused = events
              .map((e, index) => ({ index, type: e.type }))
              .filter((e) => e.type === 'order.teleported')
              .map(({ index }) => ({ index, kind: 'invalid', reason: 'unknown type' }));
            return { statusCode: 202, body: JSON.stringify({ accepted, refused }) };
          },
        },
      },
    });
    return api.start();
  }
  const generator = { runId: 'r', keyCardinality: 10, payloadBytes: 300 };

  it('sends batches, counts answers by status and knows which ids were accepted or refused', async () => {
    const url = await serve();
    const summary = await produceViaHttp({
      url,
      bearerToken: 'token',
      count: 95,
      batchSize: 10,
      concurrency: 3,
      invalidShare: 0.1,
      ...generator,
    });
    // Every 10th event is invalid (9 of 95), in turn truncated JSON (sent alone: 400), unknown type,
    // schema violation: 3 of each.
    expect(summary.byStatus.get(400)).toBe(3);
    expect(summary.refusedIds.size).toBe(3); // the unknown types; this small function takes schema violations
    expect(summary.acceptedIds.size + summary.refusedIds.size + 3).toBe(95);
    expect(summary.acceptedIds.has('r-0')).toBe(true);
    expect(summary.acceptedLatenciesMs).toHaveLength(summary.byStatus.get(202) ?? 0);
  });

  it('reports refused requests (wrong token: 403; throttled: 429) without retrying them', async () => {
    const url = await serve({ rateLimit: 0.001, burstLimit: 2 });
    const forbidden = await produceViaHttp({
      url,
      bearerToken: 'wrong',
      count: 20,
      batchSize: 10,
      concurrency: 1,
      invalidShare: 0,
      ...generator,
    });
    expect([...forbidden.byStatus]).toEqual([[403, 2]]);
    const throttled = await produceViaHttp({
      url,
      bearerToken: 'token',
      count: 40,
      batchSize: 10,
      concurrency: 1,
      invalidShare: 0,
      ...generator,
    });
    expect(Object.fromEntries(throttled.byStatus)).toEqual({ 202: 2, 429: 2 });
    expect(throttled.acceptedIds.size).toBe(20);
  });

  it('counts a door that does not answer as status 0', async () => {
    const summary = await produceViaHttp({
      url: 'http://127.0.0.1:9',
      bearerToken: 'token',
      count: 5,
      batchSize: 5,
      concurrency: 1,
      invalidShare: 0,
      ...generator,
    });
    expect([...summary.byStatus]).toEqual([[0, 1]]);
  });
});
