import { basename } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { test } from 'vitest';
import type { DeploymentSettings, DeploymentSettingsInput } from '#shared/config/deployment-settings.ts';
import { mergeSettings } from '../../local/merge-settings.ts';
import { type LoadSummary, produceLoad } from '../../local/produce/load-generator.ts';
import type { LocalRuntime, LocalRuntimeOptions } from '../../local/runtime.ts';
import { WebhookSink } from '../../local/sink/webhook-sink.ts';
import { type Accounting, accountForEvents, runIds, waitUntilDrained } from './accounting.ts';
import { type CliRuntime, prepareCliRuntime } from './cli-runtime.ts';
import { createTestTopic, runSettings, startIsolatedRuntime } from './e2e-runtime.ts';
import { endpoints, localSqsClient, uniqueName } from './local-stack.ts';

/**
 * What every scenario sets: batches go out at once instead of waiting for a window to fill;
 * retries a test can wait for (1 s, 2 s, 4 s, 4 s… instead of cdk.json's 10 s up to an hour); and
 * a retry worker of 3 with a 30 s timeout. A scenario states only what differs.
 */
const SCENARIO_SETTINGS = {
  maxBatchingWindowSeconds: 0,
  backoffBaseSeconds: 1,
  backoffCapSeconds: 4,
  retryWorker: { concurrency: 3, timeoutSeconds: 30 },
} as const;
/** How long a runtime still running at the end of a test may take to stop. */
const RUNTIME_STOP_MS = 10_000;

type SinkOptions = ConstructorParameters<typeof WebhookSink>[0];
type RuntimeOptions = Omit<
  LocalRuntimeOptions,
  'endpoints' | 'queueNames' | 'handlerLogLevel' | 'metricsFile'
>;
type ProduceOptions = Partial<Parameters<typeof produceLoad>[0]> & { readonly count: number };
type Queues = { readonly retryQueueUrl: string; readonly dlqUrl: string };

/**
 * One fault scenario against the real local stack, isolated to its test: a topic, consumer group
 * and queues named after {@link Scenario.run}, an SQS client, and whatever it starts (downstream
 * sinks, runtimes) stopped after the test, runtimes first.
 */
interface Scenario {
  /** The run's name: its topic, consumer group, queue prefix and event id prefix. */
  readonly run: string;
  readonly sqs: SQSClient;
  /** cdk.json's local settings, {@link SCENARIO_SETTINGS} and `overrides`, deep-merged, on the run's topic and group. */
  settings(overrides?: Partial<DeploymentSettingsInput>): DeploymentSettings;
  /** Creates the run's topic before anything produces to it. */
  createTopic(partitions?: number): Promise<void>;
  /** Starts an in-process downstream (stopped after the test). */
  startSink(options?: SinkOptions): Promise<{ sink: WebhookSink; sinkUrl: string }>;
  /** Starts the local runtime in this process (stopped after the test). */
  startRuntime(options: RuntimeOptions): Promise<LocalRuntime>;
  /**
   * What most scenarios begin with: the run's topic, a downstream ({@link startSink}) and the
   * runtime on it ({@link startRuntime}) with {@link settings} under `settings`.
   */
  start(
    options: Omit<RuntimeOptions, 'settings' | 'sinkUrl'> & {
      settings?: Partial<DeploymentSettingsInput>;
      sink?: SinkOptions;
    },
  ): Promise<{
    sink: WebhookSink;
    sinkUrl: string;
    runtime: LocalRuntime;
    queues: Queues;
    settings: DeploymentSettings;
  }>;
  /** Prepares `eventpipe start` in child processes, with the scenario's settings under `overrides`. */
  cliRuntime(overrides: Record<string, unknown>, extraEnv?: Record<string, string>): Promise<CliRuntime>;
  /** Produces the run's events (`<run>-0`…): 300 keys, 512-byte payloads, all valid, unless told. */
  produce(options: ProduceOptions): Promise<LoadSummary>;
  /** Waits until every one of `expected` events is delivered or dead-lettered and no retry is pending. */
  drain(parts: { queues: Queues; sink: WebhookSink; expected: number; timeoutMs: number }): Promise<number>;
  /** Accounts for the run's `count` events: delivered, or dead-lettered at the right stage. */
  account(parts: {
    queues: Queues;
    sink: WebhookSink;
    count: number;
    invalidIds?: LoadSummary['invalidIds'];
  }): Promise<Accounting>;
}

/**
 * The e2e tests' fixture: `test` with a {@link Scenario}, so that a fault test states only what is
 * particular to it (its settings, its downstream's failures, its fault, its assertions).
 *
 * @example
 * ```ts
 * scenarioTest('loses nothing', async ({ scenario }) => {
 *   const { sink, queues } = await scenario.start({ settings: { batchSize: 100 }, sink: { transientRate: 0.05 } });
 *   await scenario.produce({ count: 1_000 });
 *   await scenario.drain({ queues, sink, expected: 1_000, timeoutMs: 60_000 });
 * });
 * ```
 */
const scenarioTest = test.extend<{ scenario: Scenario }>({
  scenario: async ({ task }, use) => {
    const run = uniqueName(basename(task.file.name, '.test.ts'));
    const sqs = localSqsClient();
    const runtimes: LocalRuntime[] = [];
    const sinks: WebhookSink[] = [];
    const scenario: Scenario = {
      run,
      sqs,
      settings: (overrides = {}) => runSettings(run, mergeSettings(SCENARIO_SETTINGS, overrides)),
      createTopic: (partitions) => createTestTopic(run, partitions),
      async startSink(options) {
        const sink = new WebhookSink(options);
        sinks.push(sink);
        return { sink, sinkUrl: await sink.start() };
      },
      async startRuntime(options) {
        const runtime = await startIsolatedRuntime(run, options);
        runtimes.push(runtime);
        return runtime;
      },
      async start({ settings: overrides, sink: sinkOptions, ...runtimeOptions }) {
        await scenario.createTopic(runtimeOptions.partitions);
        const settings = scenario.settings(overrides);
        const { sink, sinkUrl } = await scenario.startSink(sinkOptions);
        const runtime = await scenario.startRuntime({ ...runtimeOptions, settings, sinkUrl });
        return { sink, sinkUrl, runtime, queues: runtime.queues, settings };
      },
      cliRuntime: (overrides, extraEnv) =>
        prepareCliRuntime(run, mergeSettings(SCENARIO_SETTINGS, overrides), extraEnv),
      produce: (options) =>
        produceLoad({
          brokers: endpoints.kafkaBrokers,
          topic: run,
          runId: run,
          keyCardinality: 300,
          payloadBytes: 512,
          invalidShare: 0,
          ...options,
        }),
      drain: ({ queues, ...rest }) => waitUntilDrained({ sqs, ...queues, ...rest }),
      account: ({ queues, sink, count, invalidIds }) =>
        accountForEvents({ sqs, dlqUrl: queues.dlqUrl, sink, ids: runIds(run, count), invalidIds }),
    };
    try {
      await use(scenario);
    } finally {
      for (const runtime of runtimes) await runtime.stop(RUNTIME_STOP_MS);
      for (const sink of sinks) await sink.stop();
      sqs.destroy();
    }
  },
});

export { scenarioTest };
