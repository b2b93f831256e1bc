import type { z } from 'zod';

/**
 * Turns zod issues into one message that names each offending environment variable, so a bad
 * configuration fails at cold start with the fix in plain sight.
 *
 * @param error - the zod error from parsing the raw configuration
 * @param variableOf - maps a schema key to the environment variable it came from
 * @example
 * ```ts
 * formatConfigError(error, { maxAttempts: 'EVENTPIPE_MAX_ATTEMPTS' });
 * // 'invalid configuration: EVENTPIPE_MAX_ATTEMPTS: Too small: expected number to be >=1'
 * ```
 */
function formatConfigError(error: z.ZodError, variableOf: Readonly<Record<string, string>>): string {
  const problems = error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const name = variableOf[key] ?? (key || 'configuration');
    const rest = issue.path.slice(1).join('.');
    return `${name}${rest ? `.${rest}` : ''}: ${issue.message}`;
  });
  return `invalid configuration: ${problems.join('; ')}`;
}

export { formatConfigError };
