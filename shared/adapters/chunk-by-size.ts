/**
 * Consecutive groups of `items`, in their order, each within `maxBytes` by `sizeOf` and at most
 * `maxCount` items. An item larger than `maxBytes` goes alone: the receiver (SQS, a broker) then
 * refuses it with its own words instead of the whole group failing.
 *
 * @example
 * ```ts
 * chunkBySize(entries, entrySize, 1_048_576, 10); // SendMessageBatch's limits
 * ```
 */
function chunkBySize<Item>(
  items: readonly Item[],
  sizeOf: (item: Item) => number,
  maxBytes: number,
  maxCount = Number.POSITIVE_INFINITY,
): Item[][] {
  const chunks: Item[][] = [];
  let current: Item[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length === maxCount || (current.length > 0 && bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export { chunkBySize };
