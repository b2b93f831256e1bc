import type * as z from 'zod/mini';

type Schema = z.core.$ZodType;
type Accepted = { readonly value: unknown } | undefined;

/**
 * What `schema` would return for `input`, worked out by walking the schema's definition and running
 * its checks (bounds, patterns, URL, refinements) directly, or `undefined` when unsure. Made for the
 * configuration read at cold start: zod's first parse of anything runs its parsing code cold
 * (≈10 ms of a function's init in a profile), work that a configuration read once per container
 * does not need. It knows only the plain kinds a configuration uses (objects, records, arrays,
 * strings, numbers, enums, optional, default, prefault); anything else, any failed check, a
 * `__proto__` key or an asynchronous check makes it unsure, and the caller parses with zod, which
 * then accepts the input or words the failure. A property test holds it to zod: it never accepts
 * what the schema refuses and returns the same value.
 *
 * @example
 * ```ts
 * const accepted = quickAccept(RuntimeConfigSchema, raw);
 * const config = accepted ? accepted.value : RuntimeConfigSchema.parse(raw);
 * ```
 */
function quickAccept(schema: Schema, input: unknown): Accepted {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'default':
      return input === undefined ? { value: def.defaultValue } : quickAccept(def.innerType as Schema, input);
    case 'prefault':
      return quickAccept(def.innerType as Schema, input === undefined ? def.defaultValue : input);
    case 'optional':
      return input === undefined ? { value: undefined } : quickAccept(def.innerType as Schema, input);
    case 'string':
      return typeof input === 'string' ? checked(schema, input) : undefined;
    case 'number':
      return typeof input === 'number' && Number.isFinite(input) ? checked(schema, input) : undefined;
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>).includes(input)
        ? checked(schema, input)
        : undefined;
    case 'array':
      return Array.isArray(input) ? acceptArray(schema, def.element as Schema, input) : undefined;
    case 'record':
      return isPlainObject(input)
        ? acceptRecord(schema, def.keyType as Schema, def.valueType as Schema, input)
        : undefined;
    case 'object':
      return isPlainObject(input) && def.catchall === undefined
        ? acceptObject(schema, def.shape as Record<string, Schema>, input)
        : undefined;
    default:
      return undefined;
  }
}

function acceptArray(schema: Schema, element: Schema, input: readonly unknown[]): Accepted {
  const value: unknown[] = [];
  for (const item of input) {
    const accepted = quickAccept(element, item);
    if (!accepted) return undefined;
    value.push(accepted.value);
  }
  return checked(schema, value);
}

function acceptRecord(
  schema: Schema,
  keyType: Schema,
  valueType: Schema,
  input: Record<string, unknown>,
): Accepted {
  const value: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (key === '__proto__' || !quickAccept(keyType, key)) return undefined;
    const accepted = quickAccept(valueType, input[key]);
    if (!accepted) return undefined;
    value[key] = accepted.value;
  }
  return checked(schema, value);
}

/** Known keys only (zod strips the others); a key absent from the input whose value is undefined stays absent. */
function acceptObject(
  schema: Schema,
  shape: Record<string, Schema>,
  input: Record<string, unknown>,
): Accepted {
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const accepted = quickAccept(field, input[key]);
    if (!accepted) return undefined;
    if (accepted.value !== undefined || Object.hasOwn(input, key)) value[key] = accepted.value;
  }
  return checked(schema, value);
}

/** Runs the schema's checks (and the schema itself when it is one, like a URL) as zod does; unsure on any issue. */
function checked(schema: Schema, value: unknown): Accepted {
  const checks = (schema._zod.def.checks ?? []) as z.core.$ZodCheck<unknown>[];
  const all = schema._zod.traits.has('$ZodCheck')
    ? [schema as unknown as z.core.$ZodCheck<unknown>, ...checks]
    : checks;
  if (all.length === 0) return { value };
  const payload: z.core.ParsePayload = { value, issues: [] };
  for (const check of all) {
    if (check._zod.def.when && !check._zod.def.when(payload)) continue;
    if (check._zod.check(payload) instanceof Promise) return undefined;
    if (payload.issues.length > 0) return undefined;
  }
  return { value: payload.value };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

export { quickAccept };
