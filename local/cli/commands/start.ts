import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { LOCAL_INGEST_PORT } from '../../front-door.ts';
import {
  LOCAL_INGEST_TOKEN_FILE,
  loadLocalSettings,
  localIngestToken,
  localQueueNames,
} from '../../local-settings.ts';
import { localSqsClient } from '../../local-sqs-client.ts';
import { EmfAggregate } from '../../observability/emf-aggregate.ts';
import { produceLoad } from '../../produce/load-generator.ts';
import { LocalRuntime } from '../../runtime.ts';
import { localServices } from '../../services/local-services.ts';
import { upService } from '../../services/service-manager.ts';
import { FORCED_EXIT_CODE, LOCAL_SHUTDOWN_TIMEOUT_MS } from '../../shutdown.ts';
import { WebhookSink } from '../../sink/webhook-sink.ts';
import { CliError } from '../errors.ts';
import { liveViewWriter, renderLiveView, takeSnapshot } from '../live-view.ts';
import { numberOption } from './_shared.ts';

const VIEW_REFRESH_MS = 1_000;
/** Without a terminal (CI, a pipe) the view prints a line this often instead of redrawing. */
const PLAIN_REFRESH_MS = 5_000;
const DEMO_EVENT_COUNT = 100_000_000;
const DEMO_RETRY_MS = 2_000;

interface StartOptions {
  demo?: boolean;
  demoRate: number;
  transient: number;
  permanent: number;
  latency: number;
  sinkPort: number;
  logs?: boolean;
  duration?: number;
  batchSize?: number;
  reservedConcurrency?: number;
  sinkUrl?: string;
  queuePrefix?: string;
  metricsFile?: string;
  ingest: boolean;
  ingestPort: number;
}

/** `eventpipe start` (what `npm start` runs): the whole product, locally. */
function register(program: Command): void {
  program
    .command('start')
    .description(
      'services up, topic and queues created, webhook sink and event source emulators running, live view',
    )
    .option('--demo', 'also produce a stream of sample events (0.5 % invalid)')
    .option('--demo-rate <n>', 'demo events per second', numberOption('demo-rate', 1, 100_000), 200)
    .option(
      '--transient <share>',
      'sink: share of requests failing with 503 (default 0.05 with --demo)',
      numberOption('transient', 0, 1),
    )
    .option(
      '--permanent <share>',
      'sink: share of event ids rejected with 400 (default 0.01 with --demo)',
      numberOption('permanent', 0, 1),
    )
    .option('--latency <ms>', 'sink: added latency per request', numberOption('latency', 0, 60_000), 0)
    .option(
      '--sink-port <n>',
      'sink port on 127.0.0.1 (0: any free port)',
      numberOption('sink-port', 0, 65_535),
      0,
    )
    .option('--logs', 'stream the handlers\u2019 JSON logs instead of the live view')
    .option('--duration <seconds>', 'stop gracefully after this long', numberOption('duration', 1, 86_400))
    .option(
      '--batch-size <n>',
      'override the configured Kafka batch size',
      numberOption('batch-size', 1, 10_000),
    )
    .option(
      '--reserved-concurrency <n>',
      'override the worker pool',
      numberOption('reserved-concurrency', 1, 1_000),
    )
    .option('--sink-url <url>', 'route events to this downstream instead of starting the local sink')
    .option(
      '--queue-prefix <prefix>',
      'name the retry queue and DLQ <prefix>-retry and <prefix>-dlq',
      'eventpipe-local',
    )
    .option('--no-ingest', 'do not serve the HTTP front door (POST /events)')
    .option(
      '--ingest-port <n>',
      'front door port on 127.0.0.1 (0: any free port)',
      numberOption('ingest-port', 0, 65_535),
      LOCAL_INGEST_PORT,
    )
    .option(
      '--metrics-file <path>',
      'where the handlers\u2019 EMF goes (default .local/metrics/emf.jsonl, read by `stats`)',
    )
    .action(async (options: StartOptions) => {
      await start(options);
    });
}

async function start(options: StartOptions): Promise<void> {
  const endpoints = loadLocalEndpoints(process.env);
  for (const status of await Promise.all(localServices(endpoints).map(upService))) {
    console.log(`${status.name.padEnd(10)} ${status.address} up`);
  }
  const settings = loadLocalSettings({
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.reservedConcurrency ? { reservedConcurrency: options.reservedConcurrency } : {}),
  });
  const sink = options.sinkUrl
    ? undefined
    : new WebhookSink({
        transientRate: options.transient ?? (options.demo ? 0.05 : 0),
        permanentRate: options.permanent ?? (options.demo ? 0.01 : 0),
        latencyMs: options.latency,
      });
  const sinkUrl = options.sinkUrl ?? (await (sink as WebhookSink).start(options.sinkPort));
  const aggregate = new EmfAggregate();
  // Locally the front door is served unless --no-ingest; the settings' ingest.enabled decides the deployment.
  const bearerToken = options.ingest ? localIngestToken() : undefined;
  const runtime = await LocalRuntime.start({
    settings,
    endpoints,
    sinkUrl,
    queueNames: localQueueNames(options.queuePrefix),
    metricsFile: options.metricsFile,
    handlerLogLevel: options.logs ? 'INFO' : 'SILENT',
    onMetrics: (blob) => aggregate.add(blob),
    logger: options.logs ? console : undefined,
    frontDoor: bearerToken ? { bearerToken, port: options.ingestPort } : undefined,
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(
        `port ${options.ingestPort} on 127.0.0.1 is in use: pass --ingest-port <n>, or --no-ingest`,
        { cause: error },
      );
    }
    throw error;
  });
  console.log(
    `topic ${settings.topic}, group ${settings.consumerGroupId}, sink ${sinkUrl}, retry queue ${runtime.queues.retryQueueUrl}`,
  );
  if (runtime.frontDoor) {
    const { rateLimit, burstLimit } = settings.ingest.throttling;
    console.log(
      `front door ${runtime.frontDoor.url}/events (${rateLimit} requests/s, burst ${burstLimit}, reserved concurrency ${settings.ingest.reservedConcurrency}); bearer token in ${LOCAL_INGEST_TOKEN_FILE}; try: npm run eventpipe -- produce --via http`,
    );
  }

  const demo = new AbortController();
  let produced = 0;
  // The demo stream rides out a broker outage: a failed produce is reported, and production
  // resumes (new ids) after a pause. An unhandled rejection here used to end the whole process.
  const demoRun = (async () => {
    if (!options.demo) return;
    for (let round = 0; !demo.signal.aborted; round++) {
      const alreadyProduced = produced;
      try {
        await produceLoad({
          brokers: endpoints.kafkaBrokers,
          topic: settings.topic,
          count: DEMO_EVENT_COUNT,
          ratePerSecond: options.demoRate,
          runId: `demo${Date.now().toString(36)}r${round}`,
          keyCardinality: 200,
          payloadBytes: 512,
          invalidShare: 0.005,
          signal: demo.signal,
          onProgress: (sent) => {
            produced = alreadyProduced + sent;
          },
        });
      } catch (error) {
        console.error(`demo producer: ${(error as Error).message}; retrying in ${DEMO_RETRY_MS / 1_000} s`);
        await sleep(DEMO_RETRY_MS, undefined, { signal: demo.signal }).catch(() => undefined);
      }
    }
  })();

  const sqs = localSqsClient(endpoints);
  const startedAt = Date.now();
  let previous: { at: number; processed: number } | undefined;
  const tty = process.stdout.isTTY && !options.logs;
  const refresh = async () => {
    const snapshot = await takeSnapshot({
      runtime,
      aggregate,
      sqs,
      sink,
      startedAt,
      previous,
      reservedConcurrency: settings.reservedConcurrency,
      produced: options.demo ? produced : undefined,
    });
    previous = {
      at: Date.now(),
      processed: (snapshot.consumer.Processed ?? 0) + (snapshot.worker.Processed ?? 0),
    };
    return snapshot;
  };
  const writer = liveViewWriter(process.stdout, tty);
  const view = options.logs
    ? undefined
    : setInterval(
        () =>
          void refresh()
            .then((snapshot) => writer.draw(snapshot))
            .catch(() => undefined),
        tty ? VIEW_REFRESH_MS : PLAIN_REFRESH_MS,
      );

  let closing: Promise<void> | undefined;
  const close = (reason: string) => {
    closing ??= (async () => {
      clearInterval(view);
      writer.done();
      console.log(
        `\n${reason}: stopping — in-flight invocations finish and commit (at most ${LOCAL_SHUTDOWN_TIMEOUT_MS / 1_000} s)…`,
      );
      demo.abort();
      await demoRun.catch(() => undefined);
      await runtime.stop(LOCAL_SHUTDOWN_TIMEOUT_MS);
      process.stdout.write(renderLiveView(await refresh().catch(() => ({}) as never)));
      await sink?.stop();
      sqs.destroy();
      console.log('stopped cleanly');
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      console.error(`\n${signal} again: exiting at once`);
      process.exit(FORCED_EXIT_CODE);
    }
    void close(signal).then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (options.duration)
    setTimeout(
      () => void close(`${options.duration} s elapsed`).then(() => process.exit(0)),
      options.duration * 1_000,
    );
}

export { register };
