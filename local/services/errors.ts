/**
 * An error whose message is the fix: what went wrong and what to run or install.
 *
 * The CLI prints only the message (no stack) for these, following nuxt/cli's `ActionableError`.
 *
 * @example
 * ```ts
 * throw new ServiceError('Java 17+ is required: install openjdk-17-jre-headless');
 * ```
 */
class ServiceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

export { ServiceError };
