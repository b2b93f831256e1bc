import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin } from '@platformatic/kafka';
import type { DeploymentSettingsInput } from '#shared/config/deployment-settings.ts';
import type { LocalEndpoints } from '#shared/config/local-endpoints.ts';
import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import type { Processor } from '#shared/pipeline/ports.ts';
import { loadLocalSettings } from '../../local/local-settings.ts';
import { ensureTopic } from '../../local/provision.ts';
import { LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime.ts';

/** A fresh 6-partition topic for one benchmark. */
async function benchTopic(endpoints: LocalEndpoints, name: string): Promise<string> {
  const topic = `${name}-${Date.now().toString(36)}`;
  const admin = new Admin({ clientId: 'eventpipe-bench', bootstrapBrokers: endpoints.kafkaBrokers });
  await ensureTopic(admin, topic, 6);
  await admin.close();
  return topic;
}

/** The local runtime on `topic` with one in-process processor for every event type. */
function startBenchRuntime(
  endpoints: LocalEndpoints,
  topic: string,
  processor: Processor,
  overrides: Partial<DeploymentSettingsInput>,
  extra: Pick<LocalRuntimeOptions, 'frontDoor'> = {},
): Promise<LocalRuntime> {
  const registry: EventRegistry = Object.fromEntries(
    Object.entries(eventTypes).map(([type, definition]) => [type, { ...definition, process: processor }]),
  );
  const group = `${topic}-${Math.random().toString(36).slice(2, 8)}`;
  return LocalRuntime.start({
    settings: loadLocalSettings({ topic, consumerGroupId: group, ...overrides }),
    endpoints,
    registry,
    queueNames: { retry: `${group}-retry`, dlq: `${group}-dlq` },
    handlerLogLevel: 'SILENT',
    metricsFile: join(mkdtempSync(join(tmpdir(), 'eventpipe-bench-')), 'emf.jsonl'),
    ...extra,
  });
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export { benchTopic, percentile, startBenchRuntime };
