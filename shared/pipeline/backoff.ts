import { SQS_MAX_VISIBILITY_SECONDS } from '../config/limits.ts';
import type { PipelineSettings } from '../config/runtime-config.ts';

/** Exponential backoff settings: the delay before attempt n+1 is drawn from [0, base × 2^(n-1)], capped. */
type BackoffSettings = Pick<PipelineSettings, 'backoffBaseSeconds' | 'backoffCapSeconds'>;

/** A zero delay would retry a failing downstream in a hot loop. */
const MIN_DELAY_SECONDS = 1;

/**
 * The delay before the next attempt after `attempt` failed: exponential with full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"), at least `minimumSeconds` (e.g. a
 * `Retry-After`), never above the cap nor SQS's 12-hour visibility limit.
 *
 * @param attempt - the attempt that just failed, from 1
 * @param random - a source of uniform numbers in [0, 1), injectable for tests
 * @example
 * ```ts
 * backoffSeconds(3, { backoffBaseSeconds: 10, backoffCapSeconds: 3600 }); // uniform in [1, 40]
 * ```
 */
function backoffSeconds(
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
  minimumSeconds = 0,
): number {
  const { backoffBaseSeconds: base, backoffCapSeconds: cap } = settings;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  const delay = Math.max(MIN_DELAY_SECONDS, jittered, Math.ceil(minimumSeconds));
  return Math.min(delay, cap, SQS_MAX_VISIBILITY_SECONDS);
}

export { backoffSeconds };
