import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricsOptions } from '#shared/observability/powertools.ts';

/** One EMF blob as Powertools serializes it. */
type EmfBlob = ReturnType<Metrics['serializeMetrics']>;

/**
 * Powertools Metrics whose EMF goes to a JSON-lines file (what CloudWatch would ingest; read back
 * by `eventpipe stats`) and to an in-process listener (the live view), instead of stdout, which
 * the terminal view owns locally. Serialization is Powertools' own.
 *
 * @example
 * ```ts
 * const metrics = new EmfFileMetrics({ namespace: 'EventPipe', serviceName: 'eventpipe' }, '.local/metrics/emf.jsonl', onBlob);
 * ```
 */
class EmfFileMetrics extends Metrics {
  readonly #options: MetricsOptions;
  readonly #file: string;
  readonly #onBlob?: (blob: EmfBlob) => void;

  constructor(options: MetricsOptions, file: string, onBlob?: (blob: EmfBlob) => void) {
    super(options);
    this.#options = options;
    this.#file = file;
    this.#onBlob = onBlob;
    mkdirSync(dirname(file), { recursive: true });
  }

  /**
   * A metric published at once (e.g. `CircuitOpened`) to the same file and listener: Powertools'
   * own would be a plain `Metrics` printing to stdout, through the live view.
   */
  override singleMetric(): EmfFileMetrics {
    return new EmfFileMetrics({ ...this.#options, singleMetric: true }, this.#file, this.#onBlob);
  }

  override publishStoredMetrics(): this {
    try {
      if (this.hasStoredMetrics()) {
        const blob = this.serializeMetrics();
        appendFileSync(this.#file, `${JSON.stringify(blob)}\n`);
        this.#onBlob?.(blob);
      }
    } finally {
      this.clearMetrics();
      this.clearDimensions();
      this.clearMetadata();
    }
    return this;
  }
}

export type { EmfBlob };
export { EmfFileMetrics };
