import { ensureTopic } from '../../local/provision.ts';
import { type CliProcess, runCli } from './cli-process.ts';
import { localKafkaAdmin } from './local-stack.ts';
import { testMetricsFile } from './metrics-file.ts';

interface CliRuntime {
  /** Starts `eventpipe start` against `sinkUrl` in a child process and waits until it consumes. */
  start(sinkUrl: string): Promise<CliProcess>;
  readonly queues: { readonly retryQueueUrl: string; readonly dlqUrl: string };
}

/**
 * The real CLI (`eventpipe start`) in a child process, isolated to one test: its own 6-partition
 * topic, consumer group, queues `<run>-retry` / `<run>-dlq` and EMF file, with `settings` layered
 * over the project's local settings (and `extraEnv`, e.g. NODE_OPTIONS, in its environment). Each `start` is a fresh process, so a test can stop or kill
 * it and start another on the same state.
 *
 * @example
 * ```ts
 * const runtime = await prepareCliRuntime(run, { batchSize: 100 });
 * const first = await runtime.start(sinkUrl);
 * first.child.kill('SIGKILL');
 * ```
 */
async function prepareCliRuntime(
  run: string,
  settings: Record<string, unknown>,
  extraEnv: Record<string, string> = {},
): Promise<CliRuntime> {
  const admin = localKafkaAdmin();
  try {
    await ensureTopic(admin, run, 6);
  } finally {
    await admin.close();
  }
  const env = {
    ...extraEnv,
    EVENTPIPE_LOCAL_SETTINGS: JSON.stringify({ topic: run, consumerGroupId: run, ...settings }),
  };
  const metricsFile = testMetricsFile();
  const queues = { retryQueueUrl: '', dlqUrl: '' };
  return {
    queues,
    async start(sinkUrl) {
      // The front door on any free port: a `npm start` elsewhere on this machine may hold 8787.
      const args = [
        'start',
        '--sink-url',
        sinkUrl,
        '--queue-prefix',
        run,
        '--metrics-file',
        metricsFile,
        '--ingest-port',
        '0',
      ];
      const cli = runCli(args, env);
      await cli.waitFor(`topic ${run}`, 60_000);
      const retryQueueUrl = cli.output().match(/retry queue (\S+)/)?.[1] ?? '';
      queues.retryQueueUrl = retryQueueUrl;
      queues.dlqUrl = retryQueueUrl.replace(/-retry$/, '-dlq');
      return cli;
    },
  };
}

export type { CliRuntime };
export { prepareCliRuntime };
