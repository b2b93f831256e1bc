import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** EMF allows 100 values per metric in one blob; Powertools flushes early beyond that. */
const MAX_VALUES_PER_METRIC = 100;

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * Collects one invocation's metrics and publishes them as a single EMF blob: counts are summed,
 * distributions (latency, event age) are reduced to at most 100 evenly spaced quantiles so that a
 * batch of 10,000 records still flushes once and percentiles stay representative.
 *
 * @example
 * ```ts
 * const batch = new BatchMetrics();
 * batch.count('Processed');
 * batch.observe('ProcessingLatency', 12);
 * batch.publish(metrics);
 * ```
 */
class BatchMetrics {
  readonly #counts = new Map<string, number>();
  readonly #samples = new Map<string, { unit: Unit; values: number[] }>();

  count(name: string, by = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + by);
  }

  observe(name: string, value: number, unit: Unit = MetricUnit.Milliseconds): void {
    const entry = this.#samples.get(name);
    if (entry) entry.values.push(value);
    else this.#samples.set(name, { unit, values: [value] });
  }

  countOf(name: string): number {
    return this.#counts.get(name) ?? 0;
  }

  publish(metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>): void {
    for (const [name, value] of this.#counts) metrics.addMetric(name, MetricUnit.Count, value);
    for (const [name, { unit, values }] of this.#samples) {
      for (const value of quantiles(values, MAX_VALUES_PER_METRIC)) metrics.addMetric(name, unit, value);
    }
    metrics.publishStoredMetrics();
  }
}

/** At most `count` values: the sorted values themselves, or evenly spaced quantiles of them. */
function quantiles(values: readonly number[], count: number): number[] {
  // A typed array sorts numerically without a comparator call per comparison: a batch sorts two
  // samples of one value per record, which showed in the consumer's warm profile.
  const sorted = Array.from(Float64Array.from(values).sort());
  if (sorted.length <= count) return sorted;
  return Array.from(
    { length: count },
    (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (count - 1))] ?? 0,
  );
}

export { BatchMetrics, quantiles };
