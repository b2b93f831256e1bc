import { consumerFetchesChannel } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { timestampOf, watchLogAppendTime } from '../../../../local/esm/log-append-time.ts';

const CREATE_TIME = 1_600_000_000_000n;
const APPEND_TIME = 1_764_007_200_000n;

/** A parsed fetch response with one batch of two records; attribute bit 3: LogAppendTime. */
function fetchResult(attributes: number) {
  const records: { timestampDelta: bigint; metadata?: Record<string, unknown> }[] = [
    { timestampDelta: 0n },
    { timestampDelta: 1n },
  ];
  const batch = { attributes, firstTimestamp: CREATE_TIME, maxTimestamp: APPEND_TIME, records };
  return { records, result: { responses: [{ partitions: [{ records: [batch] }] }] } };
}

let unwatch: (() => void) | undefined;
afterEach(() => unwatch?.());

describe('watchLogAppendTime', () => {
  it("puts a LogAppendTime batch's append time on its records, for the watched consumer only", () => {
    // Prepare
    const ours = { name: 'ours' };
    unwatch = watchLogAppendTime((client) => client === ours);
    const logAppend = fetchResult(0b1000);
    const createTime = fetchResult(0b0100); // zstd-compressed, CreateTime
    const otherConsumers = fetchResult(0b1000);

    // Act: what the client publishes before it turns a fetch response into messages
    consumerFetchesChannel.asyncStart.publish({ client: ours, result: logAppend.result });
    consumerFetchesChannel.asyncStart.publish({ client: ours, result: createTime.result });
    consumerFetchesChannel.asyncStart.publish({ client: { name: 'other' }, result: otherConsumers.result });

    // Assess
    for (const record of logAppend.records)
      expect(timestampOf({ timestamp: CREATE_TIME, metadata: record.metadata ?? {} })).toEqual({
        timestamp: APPEND_TIME,
        timestampType: 'LOG_APPEND_TIME',
      });
    for (const record of [...createTime.records, ...otherConsumers.records])
      expect(record.metadata).toBeUndefined();
  });

  it('stops annotating once unwatched', () => {
    const ours = {};
    watchLogAppendTime((client) => client === ours)();
    const logAppend = fetchResult(0b1000);
    consumerFetchesChannel.asyncStart.publish({ client: ours, result: logAppend.result });
    expect(logAppend.records[0]?.metadata).toBeUndefined();
  });
});

describe('timestampOf', () => {
  it("is the producer's create time when the batch did not use LogAppendTime", () => {
    expect(timestampOf({ timestamp: CREATE_TIME, metadata: {} })).toEqual({
      timestamp: CREATE_TIME,
      timestampType: 'CREATE_TIME',
    });
  });
});
