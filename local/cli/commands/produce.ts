import { type Command, Option } from 'commander';
import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { LOCAL_INGEST_PORT } from '../../front-door.ts';
import { loadLocalSettings, localIngestToken } from '../../local-settings.ts';
import { produceViaHttp } from '../../produce/http-load-generator.ts';
import { produceLoad } from '../../produce/load-generator.ts';
import { CliError } from '../errors.ts';
import { numberOption } from './_shared.ts';

const PROGRESS_WIDTH = 30;

interface ProduceOptions {
  count: number;
  rate: number;
  keys: number;
  size: number;
  invalid: number;
  topic?: string;
  runId: string;
  via: 'kafka' | 'http';
  url: string;
  batch: number;
  concurrency: number;
}

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
    .addOption(
      new Option('--via <target>', 'produce to the topic (kafka), or send through the HTTP front door (http)')
        .choices(['kafka', 'http'])
        .default('kafka'),
    )
    .option('--url <url>', 'the front door (with --via http)', `http://127.0.0.1:${LOCAL_INGEST_PORT}`)
    .option('-b, --batch <n>', 'events per request (with --via http)', numberOption('batch', 1, 1_000), 50)
    .option(
      '-c, --concurrency <n>',
      'requests in flight (with --via http)',
      numberOption('concurrency', 1, 256),
      4,
    )
    .action(async (options: ProduceOptions) => {
      if (options.via === 'http') return produceThroughFrontDoor(options);
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
    });
}

/** `produce --via http`: batches of CloudEvents through the front door, then what it answered. */
async function produceThroughFrontDoor(options: ProduceOptions): Promise<void> {
  const summary = await produceViaHttp({
    url: options.url.replace(/\/+$/, ''),
    bearerToken: localIngestToken(),
    count: options.count,
    batchSize: options.batch,
    concurrency: options.concurrency,
    ratePerSecond: options.rate || undefined,
    runId: options.runId,
    keyCardinality: options.keys,
    payloadBytes: options.size,
    invalidShare: options.invalid,
  });
  const seconds = summary.durationMs / 1_000;
  const statuses = [...summary.byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status === 0 ? 'no answer' : status} ×${n}`)
    .join(', ');
  console.log(
    `sent ${options.count} events in ${summary.requests} requests to ${options.url}/events in ${seconds.toFixed(1)} s: ${statuses}; ${summary.acceptedIds.size} accepted (${Math.round(summary.acceptedIds.size / Math.max(seconds, 0.001))}/s), ${summary.refusedIds.size} refused as invalid, run id ${options.runId}`,
  );
  if (summary.byStatus.get(0) === summary.requests) {
    throw new CliError(`no answer from ${options.url}: is \`npm start\` running (front door on)?`);
  }
  if ((summary.byStatus.get(403) ?? 0) > 0) {
    console.log(
      '403: the bearer token differs from the one `npm start` uses (.local/ingest-token or EVENTPIPE_LOCAL_INGEST_TOKEN)',
    );
  }
}

export { register };
