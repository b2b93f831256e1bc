/** The kinds of invalid event the generator makes, and the stage each must be dead-lettered at. */
const INVALID_KINDS = [
  { kind: 'truncated-json', stage: 'decode' },
  { kind: 'unknown-type', stage: 'validate' },
  { kind: 'schema-violation', stage: 'validate' },
] as const;
type InvalidKind = (typeof INVALID_KINDS)[number]['kind'];

interface GeneratedEvent {
  readonly id: string;
  readonly key: string;
  readonly value: string;
  /** Set for invalid events: the stage at which the pipeline must reject it. */
  readonly expectedStage?: 'decode' | 'validate';
}

interface GeneratorOptions {
  readonly runId: string;
  readonly keyCardinality: number;
  /** Approximate size of each event's JSON; padding goes into a note field. */
  readonly payloadBytes: number;
  /** Share of events that are invalid, 0–1, spread evenly. */
  readonly invalidShare: number;
}

const TYPES = ['order.placed', 'payment.captured', 'notification.requested'] as const;

/**
 * The i-th sample event of a run: one of the three event types (round robin), keyed by one of
 * `keyCardinality` customers (also its CloudEvents `subject`, so a downstream can check per-key
 * order), or an invalid event of a known kind. Ids are `<runId>-<i>`, so every event can be
 * accounted for afterwards.
 *
 * @example
 * ```ts
 * const { key, value } = generateEvent(7, { runId: 'demo', keyCardinality: 100, payloadBytes: 512, invalidShare: 0.01 });
 * ```
 */
function generateEvent(index: number, options: GeneratorOptions): GeneratedEvent {
  const id = `${options.runId}-${index}`;
  const key = `customer-${index % options.keyCardinality}`;
  const invalidEvery = options.invalidShare > 0 ? Math.round(1 / options.invalidShare) : 0;
  if (invalidEvery > 0 && index % invalidEvery === invalidEvery - 1) {
    const invalid = INVALID_KINDS[
      Math.floor(index / invalidEvery) % INVALID_KINDS.length
    ] as (typeof INVALID_KINDS)[number];
    return { id, key, value: invalidValue(invalid.kind, id, key), expectedStage: invalid.stage };
  }
  const type = TYPES[index % TYPES.length] as (typeof TYPES)[number];
  const event = {
    specversion: '1.0',
    id,
    source: '/eventpipe/load',
    type,
    subject: key,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: dataOf(type, index, key),
  };
  const json = JSON.stringify(event);
  const padding = Math.max(0, options.payloadBytes - json.length - 12);
  return {
    id,
    key,
    value:
      padding > 0 ? JSON.stringify({ ...event, data: { ...event.data, note: 'x'.repeat(padding) } }) : json,
  };
}

function dataOf(type: (typeof TYPES)[number], index: number, key: string): Record<string, unknown> {
  if (type === 'order.placed') {
    return {
      orderId: `o-${index}`,
      customerId: key,
      currency: 'EUR',
      items: [{ sku: `SKU-${index % 50}`, quantity: 2, unitPrice: 9.99 }],
      total: 19.98,
    };
  }
  if (type === 'payment.captured') {
    return {
      paymentId: `p-${index}`,
      orderId: `o-${index}`,
      amount: 19.98,
      currency: 'EUR',
      method: 'card',
      capturedAt: new Date().toISOString(),
    };
  }
  return {
    notificationId: `n-${index}`,
    channel: 'email',
    recipient: 'customer@example.com',
    template: 'order-confirmation',
    variables: { orderId: `o-${index}` },
  };
}

function invalidValue(kind: InvalidKind, id: string, key: string): string {
  switch (kind) {
    case 'truncated-json':
      return `{"id":"${id}","specversion":"1.0","type":"order.placed","data":{"orderId":`;
    case 'unknown-type':
      return JSON.stringify({
        specversion: '1.0',
        id,
        source: '/eventpipe/load',
        type: 'order.teleported',
        subject: key,
        data: {},
      });
    case 'schema-violation':
      return JSON.stringify({
        specversion: '1.0',
        id,
        source: '/eventpipe/load',
        type: 'order.placed',
        subject: key,
        data: { orderId: id, currency: 'euro', items: [] },
      });
  }
}

/** Finds the event id in a dead letter's raw value (invalid events carry it as `"id":"…"`). */
function idInRawValue(valueBase64: string | null | undefined): string | undefined {
  if (!valueBase64) return undefined;
  return /"id":"([^"]+)"/.exec(Buffer.from(valueBase64, 'base64').toString('utf8'))?.[1];
}

export type { GeneratedEvent, GeneratorOptions };
export { generateEvent, INVALID_KINDS, idInRawValue };
