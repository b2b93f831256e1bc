import { build, type Histogram } from 'hdr-histogram-js';
import { DISTRIBUTION_METRICS } from '#shared/observability/metric-names.ts';
import type { EmfBlob } from './emf-file-metrics.ts';

interface EmfMetricDirective {
  Name: string;
  Unit?: string;
}

/**
 * Significant digits of the distributions: percentiles are exact below 2,048 and within 0.1 %
 * above, in a fixed few kilobytes per metric however long a local run lasts.
 */
const HISTOGRAM_SIGNIFICANT_DIGITS = 3;

/**
 * Sums what the handlers' EMF blobs say, per function: counts are added up, distributions (the
 * quantiles `BatchMetrics` publishes) go into a bounded HDR histogram for percentiles, in whole
 * units (milliseconds for latency), instead of keeping and sorting every value. Feeds `eventpipe stats` (from the
 * EMF file) and the live view (as blobs arrive).
 *
 * @example
 * ```ts
 * const aggregate = new EmfAggregate();
 * for (const line of lines) aggregate.add(JSON.parse(line));
 * aggregate.total('kafka-consumer', 'Processed');
 * ```
 */
class EmfAggregate {
  readonly #counts = new Map<string, Map<string, number>>();
  readonly #values = new Map<string, Map<string, Histogram>>();
  blobs = 0;

  add(blob: EmfBlob | Record<string, unknown>): void {
    const record = blob as Record<string, unknown> & {
      _aws?: { CloudWatchMetrics?: { Metrics?: EmfMetricDirective[] }[] };
    };
    const role = String(record.function ?? 'unknown');
    this.blobs++;
    for (const directive of record._aws?.CloudWatchMetrics ?? []) {
      for (const { Name, Unit } of directive.Metrics ?? []) {
        const value = record[Name];
        const values = (Array.isArray(value) ? value : [value]).filter(
          (v): v is number => typeof v === 'number',
        );
        if (Unit === 'Count' && !DISTRIBUTION_METRICS.has(Name))
          this.#bump(this.#counts, role, Name, values[0] ?? 0);
        else this.#push(role, Name, values);
      }
    }
  }

  total(role: string, name: string): number {
    return this.#counts.get(role)?.get(name) ?? 0;
  }

  /** The p-th percentile (0–100) of a distribution, or undefined when nothing was observed. */
  percentile(role: string, name: string, p: number): number | undefined {
    const histogram = this.#values.get(role)?.get(name);
    if (!histogram?.totalCount) return undefined;
    return histogram.getValueAtPercentile(p);
  }

  roles(): string[] {
    return [...new Set([...this.#counts.keys(), ...this.#values.keys()])].sort();
  }

  counts(role: string): Record<string, number> {
    return Object.fromEntries(this.#counts.get(role) ?? []);
  }

  #bump(store: Map<string, Map<string, number>>, role: string, name: string, by: number): void {
    const byName = store.get(role) ?? new Map<string, number>();
    byName.set(name, (byName.get(name) ?? 0) + by);
    store.set(role, byName);
  }

  #push(role: string, name: string, values: number[]): void {
    const byName = this.#values.get(role) ?? new Map<string, Histogram>();
    this.#values.set(role, byName);
    let histogram = byName.get(name);
    if (!histogram) {
      histogram = build({ numberOfSignificantValueDigits: HISTOGRAM_SIGNIFICANT_DIGITS });
      byName.set(name, histogram);
    }
    // A histogram holds non-negative whole numbers; an event age can be a little negative (clock skew).
    for (const value of values) histogram.recordValue(Math.max(0, Math.round(value)));
  }
}

export { EmfAggregate };
