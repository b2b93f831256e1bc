import { consumerFetchesChannel, type Message, type RecordsBatch } from '@platformatic/kafka';
import { TimestampType } from './kafka-event-builder.ts';

/**
 * Bit 3 of a record batch's attributes: the broker stamped the batch with its own clock (the
 * topic's `message.timestamp.type` is `LogAppendTime`). Kafka protocol, "Record Batch".
 */
const LOG_APPEND_TIME_ATTRIBUTE = 1 << 3;
/** Where the broker's append time travels on a message's `metadata`. */
const LOG_APPEND_TIME_KEY = 'eventpipe:logAppendTime';

/** The part of a fetch response this module reads. */
interface FetchResult {
  readonly responses?: readonly {
    readonly partitions: readonly { readonly records?: readonly RecordsBatch[] | null }[];
  }[];
}

/**
 * Makes the timestamp type of each record batch visible on the messages a consumer yields.
 *
 * Lambda's poller (the Java client) reports a record in a `LogAppendTime` batch as
 * `LOG_APPEND_TIME` with the batch's max timestamp — the append time; the records inside keep the
 * producer's create times, which are what `@platformatic/kafka` 2.12 puts on every message. It
 * exposes neither the batch attributes nor the max timestamp on a message, but it traces every
 * fetch on its public `plt:kafka:consumer:fetches` diagnostics channel, and `asyncStart` carries
 * the parsed response before the stream turns it into messages. There each record of such a batch
 * gets the append time on its `metadata`, which the client copies onto the message it builds.
 *
 * @param isWatched - whether a traced fetch belongs to a consumer of ours (the channel is global)
 * @returns a function that stops watching
 * @example
 * ```ts
 * const unwatch = watchLogAppendTime((client) => client === consumer);
 * ```
 */
function watchLogAppendTime(isWatched: (client: unknown) => boolean): () => void {
  const onFetched = (message: unknown) => {
    const context = message as { client?: unknown; result?: FetchResult };
    if (!isWatched(context.client)) return;
    for (const topic of context.result?.responses ?? [])
      for (const partition of topic.partitions)
        for (const batch of partition.records ?? []) {
          if ((batch.attributes & LOG_APPEND_TIME_ATTRIBUTE) === 0) continue;
          for (const record of batch.records) {
            const annotated = record as typeof record & { metadata?: Record<string, unknown> };
            annotated.metadata = { ...annotated.metadata, [LOG_APPEND_TIME_KEY]: batch.maxTimestamp };
          }
        }
  };
  consumerFetchesChannel.asyncStart.subscribe(onFetched);
  return () => consumerFetchesChannel.asyncStart.unsubscribe(onFetched);
}

/**
 * A message's timestamp as Lambda reports it: the broker's append time for a `LogAppendTime`
 * batch (seen by {@link watchLogAppendTime}), otherwise the producer's create time.
 *
 * @example
 * ```ts
 * const { timestamp, timestampType } = timestampOf(message);
 * ```
 */
function timestampOf(message: Pick<Message<unknown, unknown, unknown, unknown>, 'timestamp' | 'metadata'>): {
  timestamp: bigint;
  timestampType: TimestampType;
} {
  const appendTime = message.metadata?.[LOG_APPEND_TIME_KEY];
  return typeof appendTime === 'bigint'
    ? { timestamp: appendTime, timestampType: TimestampType.LOG_APPEND_TIME }
    : { timestamp: message.timestamp, timestampType: TimestampType.CREATE_TIME };
}

export { timestampOf, watchLogAppendTime };
