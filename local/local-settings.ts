import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DeploymentSettings,
  type DeploymentSettingsInput,
  parseDeploymentSettings,
} from '#shared/config/deployment-settings.ts';
import { ENV } from '#shared/config/env-names.ts';
import { mergeSettings, type SettingsLayer } from './merge-settings.ts';
import { LOCAL_STATE_DIR, PROJECT_ROOT } from './services/constants.ts';

/** Context keys in cdk.json: the deployment's settings, and what differs on a laptop. */
const SETTINGS_CONTEXT_KEY = 'eventpipe';
const LOCAL_OVERRIDES_CONTEXT_KEY = 'eventpipe:local';
/** Partitions of the local topic (a real cluster's topic exists already; locally we create it). */
const LOCAL_TOPIC_PARTITIONS = 6;
const LOCAL_QUEUE_PREFIX = 'eventpipe-local';
/** Where the local front door's bearer token is kept between runs (owner-only). */
const LOCAL_INGEST_TOKEN_FILE = join(LOCAL_STATE_DIR, 'ingest-token');

/**
 * The deployment settings as the local runtime uses them: `cdk.json`'s `eventpipe` context — the
 * same batch size, window, worker pool, retry pool, attempts and backoff as the stack — with, on
 * top and in this order, the `eventpipe:local` context, the `EVENTPIPE_LOCAL_SETTINGS` JSON from
 * the environment, and `overrides` (CLI flags). Layers merge deeply ({@link mergeSettings}): a
 * layer that sets `retryWorker.timeoutSeconds` keeps the other `retryWorker` keys of the layers
 * below it.
 *
 * @example
 * ```ts
 * const settings = loadLocalSettings({ reservedConcurrency: 2 });
 * ```
 */
function loadLocalSettings(
  overrides: Partial<DeploymentSettingsInput> = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeploymentSettings {
  const cdk = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return parseDeploymentSettings(
    mergeSettings(
      cdk.context?.[SETTINGS_CONTEXT_KEY] as SettingsLayer | undefined,
      cdk.context?.[LOCAL_OVERRIDES_CONTEXT_KEY] as SettingsLayer | undefined,
      parseEnvSettings(env[ENV.LOCAL_SETTINGS]),
      overrides,
    ),
  );
}

function parseEnvSettings(json: string | undefined): SettingsLayer {
  const problem = `invalid configuration: ${ENV.LOCAL_SETTINGS}: must be a JSON object of settings`;
  if (!json) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(problem);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(problem);
  return parsed as SettingsLayer;
}

/** Queue names of the local runtime. */
function localQueueNames(prefix = LOCAL_QUEUE_PREFIX): { retry: string; dlq: string } {
  return { retry: `${prefix}-retry`, dlq: `${prefix}-dlq` };
}

/**
 * The bearer token of the local front door, standing in for IAM: `EVENTPIPE_LOCAL_INGEST_TOKEN`,
 * else the one in `.local/ingest-token`, else a new random one written there (mode 0600), so that
 * `npm start` and `eventpipe produce --via http` agree without a secret in the repository.
 *
 * @example
 * ```ts
 * const token = localIngestToken();
 * ```
 */
function localIngestToken(
  env: Readonly<Record<string, string | undefined>> = process.env,
  file = LOCAL_INGEST_TOKEN_FILE,
): string {
  const fromEnv = env[ENV.LOCAL_INGEST_TOKEN]?.trim();
  if (fromEnv) return fromEnv;
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept) return kept;
  } catch {
    // No token yet: make one.
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export {
  LOCAL_INGEST_TOKEN_FILE,
  LOCAL_TOPIC_PARTITIONS,
  loadLocalSettings,
  localIngestToken,
  localQueueNames,
};
