/**
 * An error whose message is the fix. The CLI prints the message alone (no stack) and exits 1.
 *
 * @example
 * ```ts
 * throw new CliError('Kafka unreachable on 127.0.0.1:9092: run `npm run services:up`');
 * ```
 */
class CliError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
  }
}

export { CliError };
