import type { Command } from 'commander';
import { redrive } from '../../dlq/redrive.ts';
import { localContext, numberOption } from './_shared.ts';

/** `eventpipe redrive`: dead letters back to the retry queue (or to Kafka). */
function register(program: Command): void {
  program
    .command('redrive')
    .description(
      'move dead letters back to the retry queue (a fresh attempt budget each), or republish them to Kafka',
    )
    .option('--rate <n>', 'messages per second (SQS allows up to 500)', numberOption('rate', 1, 500), 50)
    .option('--max <n>', 'move at most this many', numberOption('max', 1, 10_000_000))
    .option('--filter <value>', 'only dead letters with this event type, stage or error name')
    .option('--dry-run', 'list what would be redriven, move nothing')
    .option('--to-kafka', 'republish to the source topic with the original key and event id')
    .action(
      async (options: {
        rate: number;
        max?: number;
        filter?: string;
        dryRun?: boolean;
        toKafka?: boolean;
      }) => {
        const { endpoints, sqs, queues } = await localContext();
        try {
          const result = await redrive({
            sqs,
            ...queues,
            rate: options.rate,
            max: options.max,
            filter: options.filter,
            dryRun: options.dryRun,
            toKafka: options.toKafka ? { brokers: endpoints.kafkaBrokers } : undefined,
            onProgress: (line) => console.log(line),
          });
          const verb =
            result.method === 'dry-run'
              ? `would move ${result.selected}`
              : `moved ${result.moved} of ${result.selected}`;
          const parked =
            result.skippedParked > 0
              ? `; ${result.skippedParked} parked (past the redrive cap) left in the DLQ`
              : '';
          const lost = result.skippedLostValue
            ? `; ${result.skippedLostValue} whose value was lost (malformed record) left in the DLQ`
            : '';
          console.log(`${result.method}: ${verb}${parked}${lost}`);
        } finally {
          sqs.destroy();
        }
      },
    );
}

export { register };
