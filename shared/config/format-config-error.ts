import type * as z from 'zod/mini';

/**
 * Turns zod issues into one message that names each offending environment variable, so a bad
 * configuration fails at cold start with the fix in plain sight.
 *
 * @param error - the zod error from parsing the raw configuration
 * @param variableOf - maps a schema key, or a dotted path to a nested value, to the environment
 *   variable it came from; an issue is named after the longest path that leads to it
 * @example
 * ```ts
 * formatConfigError(error, { maxAttempts: 'EVENTPIPE_MAX_ATTEMPTS' });
 * // 'invalid configuration: EVENTPIPE_MAX_ATTEMPTS: Too small: expected number to be >=1'
 * ```
 */
function formatConfigError(
  error: Pick<z.core.$ZodError, 'issues'>,
  variableOf: Readonly<Record<string, string>>,
): string {
  const problems = error.issues.map((issue) => {
    const path = issue.path.map(String);
    let depth = path.length;
    while (depth > 1 && variableOf[path.slice(0, depth).join('.')] === undefined) depth--;
    const key = path.slice(0, depth).join('.');
    const name = variableOf[key] ?? (key || 'configuration');
    const rest = path.slice(depth).join('.');
    return `${name}${rest ? `.${rest}` : ''}: ${issue.message}`;
  });
  return `invalid configuration: ${problems.join('; ')}`;
}

export { formatConfigError };
