import type { RuntimeConfig } from '../config/runtime-config.ts';
import type { ConsumeSettings } from '../pipeline/consume-batch.ts';
import type { RetrySettings } from '../pipeline/retry-batch.ts';

/** The consumer's per-batch settings from the runtime configuration. */
function consumeSettings(config: RuntimeConfig): ConsumeSettings {
  return {
    recordConcurrency: config.recordConcurrency,
    deadlineMarginMs: config.deadlineMarginMs,
    maxAttempts: config.maxAttempts,
    backoff: { baseSeconds: config.backoffBaseSeconds, capSeconds: config.backoffCapSeconds },
    maxMessageBytes: config.maxMessageBytes,
    maxRecordBytes: config.maxRecordBytes,
  };
}

/** The retry worker's settings from the runtime configuration. */
function retrySettings(config: RuntimeConfig): RetrySettings {
  return {
    maxAttempts: config.maxAttempts,
    maxRedrives: config.maxRedrives,
    backoff: { baseSeconds: config.backoffBaseSeconds, capSeconds: config.backoffCapSeconds },
    deadlineMarginMs: config.deadlineMarginMs,
    recordConcurrency: config.recordConcurrency,
  };
}

export { consumeSettings, retrySettings };
