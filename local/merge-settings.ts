/** A JSON object layer of settings: the shape of cdk.json's context and of EVENTPIPE_LOCAL_SETTINGS. */
type SettingsLayer = Readonly<Record<string, unknown>>;

function isNonArrayObject(value: unknown): value is SettingsLayer {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges settings layers, later over earlier, key by key into nested objects, so that a layer
 * setting `retryWorker.timeoutSeconds` keeps the `retryWorker` keys it does not mention. Arrays
 * and scalars are replaced whole (a broker list is one value). An object with a different `kind`
 * (a discriminated union such as `source`) replaces the earlier one: its keys belong to another
 * variant and would not validate.
 *
 * @param layers - settings objects, lowest precedence first; `undefined` layers are skipped
 * @example
 * ```ts
 * mergeSettings({ retryWorker: { concurrency: 5 } }, { retryWorker: { timeoutSeconds: 30 } });
 * // { retryWorker: { concurrency: 5, timeoutSeconds: 30 } }
 * ```
 */
function mergeSettings(...layers: readonly (SettingsLayer | undefined)[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const earlier = merged[key];
      merged[key] =
        isNonArrayObject(earlier) && isNonArrayObject(value) && sameVariant(earlier, value)
          ? mergeSettings(earlier, value)
          : value;
    }
  }
  return merged;
}

function sameVariant(earlier: SettingsLayer, later: SettingsLayer): boolean {
  return !('kind' in later) || earlier.kind === later.kind;
}

export type { SettingsLayer };
export { mergeSettings };
