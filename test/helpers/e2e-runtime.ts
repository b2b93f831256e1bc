import type { DeploymentSettings, DeploymentSettingsInput } from '#shared/config/deployment-settings.ts';
import { loadLocalSettings } from '../../local/local-settings.ts';
import { ensureTopic } from '../../local/provision.ts';
import { LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime.ts';
import { endpoints, localKafkaAdmin } from './local-stack.ts';
import { testMetricsFile } from './metrics-file.ts';

/** A 6-partition topic of one test's own (the runtime would create it too, but producers may start first). */
async function createTestTopic(topic: string, partitions = 6): Promise<void> {
  const admin = localKafkaAdmin();
  try {
    await ensureTopic(admin, topic, partitions);
  } finally {
    await admin.close();
  }
}

/**
 * The local runtime isolated to one test: the local endpoints, queues named `<run>-retry` and
 * `<run>-dlq`, silent handlers, and a throwaway EMF file (so `eventpipe stats` never sees tests).
 */
function startIsolatedRuntime(
  run: string,
  options: Omit<LocalRuntimeOptions, 'endpoints' | 'queueNames' | 'handlerLogLevel' | 'metricsFile'>,
): Promise<LocalRuntime> {
  return LocalRuntime.start({
    ...options,
    endpoints,
    queueNames: { retry: `${run}-retry`, dlq: `${run}-dlq` },
    handlerLogLevel: 'SILENT',
    metricsFile: testMetricsFile(),
  });
}

/** The project's local settings with `overrides`, on the run's own topic and consumer group. */
function runSettings(run: string, overrides: Partial<DeploymentSettingsInput>): DeploymentSettings {
  return loadLocalSettings({ topic: run, consumerGroupId: run, ...overrides });
}

export { createTestTopic, runSettings, startIsolatedRuntime };
