/**
 * Runs items with at most `concurrency` in flight, items of the same key strictly one after the
 * other in their given order, items of different keys concurrently. Items with a null key have no
 * ordering requirement (Kafka promises none for them) and each runs on its own.
 *
 * Before starting each item it asks `mayStart()`; once that says no, every item not yet started is
 * passed to `onSkipped` instead (the caller defers them: nothing is lost or half-done).
 *
 * @example
 * ```ts
 * await runByKey(records, (r) => r.key, 10, process, () => remainingMs() > marginMs, defer);
 * ```
 */
async function runByKey<Item>(
  items: readonly Item[],
  keyOf: (item: Item) => string | null,
  concurrency: number,
  run: (item: Item) => Promise<void>,
  mayStart: () => boolean = () => true,
  onSkipped: (item: Item) => void = () => undefined,
): Promise<void> {
  const chains = groupByKey(items, keyOf);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < chains.length) {
      const chain = chains[next++] ?? [];
      for (const item of chain) {
        if (mayStart()) await run(item);
        else onSkipped(item);
      }
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, chains.length)) }, worker);
  await Promise.all(workers);
}

/** Chains in order of each key's first appearance; each chain keeps its items' order. */
function groupByKey<Item>(items: readonly Item[], keyOf: (item: Item) => string | null): Item[][] {
  const chains: Item[][] = [];
  const byKey = new Map<string, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) {
      chains.push([item]);
      continue;
    }
    let chain = byKey.get(key);
    if (!chain) {
      chain = [];
      byKey.set(key, chain);
      chains.push(chain);
    }
    chain.push(item);
  }
  return chains;
}

export { runByKey };
