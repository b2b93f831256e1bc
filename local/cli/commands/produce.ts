import type { Command } from 'commander';
import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { loadLocalSettings } from '../../local-settings.ts';
import { produceLoad } from '../../produce/load-generator.ts';
import { numberOption } from './_shared.ts';

const PROGRESS_WIDTH = 30;

/** `eventpipe produce`: a load generator with a progress bar and a summary. */
function register(program: Command): void {
  program
    .command('produce')
    .description(
      'produce sample events (order.placed, payment.captured, notification.requested) to the topic',
    )
    .option('-n, --count <n>', 'how many events', numberOption('count', 1, 100_000_000), 1_000)
    .option(
      '-r, --rate <n>',
      'events per second (0: as fast as possible)',
      numberOption('rate', 0, 1_000_000),
      0,
    )
    .option('-k, --keys <n>', 'distinct keys (customers)', numberOption('keys', 1, 10_000_000), 100)
    .option('-s, --size <bytes>', 'approximate event size', numberOption('size', 200, 900_000), 512)
    .option('-i, --invalid <share>', 'share of invalid events (0–1)', numberOption('invalid', 0, 1), 0)
    .option('-t, --topic <name>', 'topic (default: the configured one)')
    .option('--run-id <id>', 'prefix of the event ids', `run${Date.now().toString(36)}`)
    .action(
      async (options: {
        count: number;
        rate: number;
        keys: number;
        size: number;
        invalid: number;
        topic?: string;
        runId: string;
      }) => {
        const topic = options.topic ?? loadLocalSettings().topic;
        const summary = await produceLoad({
          brokers: loadLocalEndpoints(process.env).kafkaBrokers,
          topic,
          count: options.count,
          ratePerSecond: options.rate || undefined,
          runId: options.runId,
          keyCardinality: options.keys,
          payloadBytes: options.size,
          invalidShare: options.invalid,
          onProgress: (sent) => {
            if (!process.stderr.isTTY) return;
            const done = Math.round((sent / options.count) * PROGRESS_WIDTH);
            process.stderr.write(
              `\r[${'#'.repeat(done)}${'.'.repeat(PROGRESS_WIDTH - done)}] ${sent}/${options.count}`,
            );
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const seconds = summary.durationMs / 1_000;
        console.log(
          `produced ${summary.sent} events to ${topic} in ${seconds.toFixed(1)} s (${Math.round(summary.sent / Math.max(seconds, 0.001))}/s), ${summary.invalid} invalid, run id ${options.runId}`,
        );
      },
    );
}

export { register };
