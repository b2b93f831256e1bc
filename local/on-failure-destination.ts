import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Producer } from '@platformatic/kafka';
import type { DeploymentSettings } from '#shared/config/deployment-settings.ts';
import type { KafkaRecord } from '#shared/pipeline/kafka-event.ts';
import { LOCAL_STATE_DIR } from './services/constants.ts';

type OnFailure = (records: readonly KafkaRecord[], error: unknown) => Promise<void>;

/**
 * The local stand-in for the ESM's on-failure destination: a Kafka topic gets the failed records
 * (key, value and headers as they were), an "S3" destination becomes JSON files under
 * `.local/on-failure/`. Undefined when the settings configure no error controls.
 *
 * @example
 * ```ts
 * const onFailure = localOnFailureDestination(settings, brokers);
 * ```
 */
function localOnFailureDestination(
  settings: DeploymentSettings,
  brokers: readonly string[],
): { onFailure: OnFailure; close(): Promise<void> } | undefined {
  const target = settings.errorControls?.onFailure;
  if (!target) return undefined;
  if (target.kind === 's3') {
    const dir = join(LOCAL_STATE_DIR, 'on-failure');
    return {
      async onFailure(records, error) {
        await mkdir(dir, { recursive: true });
        const first = records[0];
        const name = `${first?.topic}-${first?.partition}-${first?.offset}-${records.length}.json`;
        await writeFile(join(dir, name), JSON.stringify({ error: String(error), records }, null, 2));
      },
      close: async () => undefined,
    };
  }
  const producer = new Producer({
    clientId: 'eventpipe-on-failure',
    bootstrapBrokers: [...brokers],
    acks: -1,
  });
  return {
    async onFailure(records) {
      await producer.send({
        messages: records.map((record) => ({
          topic: target.topic,
          key: record.key ? Buffer.from(record.key, 'base64') : undefined,
          value:
            record.value === null || record.value === undefined
              ? undefined
              : Buffer.from(record.value, 'base64'),
          headers: new Map(
            record.headers.flatMap((header) =>
              Object.entries(header).map(([name, bytes]) => [Buffer.from(name), Buffer.from(bytes)] as const),
            ),
          ),
        })),
      });
    },
    close: () => producer.close(),
  };
}

export { localOnFailureDestination };
