import * as z from 'zod/mini';
import {
  type CrossFieldRule,
  type FieldRule,
  fieldRule,
  passesAll,
  type SchemasOf,
  UNSURE,
  type Unsure,
} from './field-rule.ts';
import './zod-locale.ts';

/**
 * The kinds of configuration field, each a {@link FieldRule}: the zod schema it builds, and the
 * plain read that accepts exactly the plainly valid inputs of that schema, returning what it
 * returns. A read is unsure of anything else, and zod decides.
 */

/** An integer within `[min, max]` (bounds inclusive, as zod's `minimum` and `maximum`). */
function integerWithin(min: number, max: number) {
  return fieldRule(
    () => z.number().check(z.int(), z.minimum(min), z.maximum(max)),
    (input) =>
      typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max ? input : UNSURE,
  );
}

/** An integer setting within `[min, max]`, `fallback` when unset. */
function integer(min: number, max: number, fallback: number) {
  return withDefault(integerWithin(min, max), fallback);
}

/** One of `values`. */
function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return fieldRule(
    () => z.enum(values),
    (input) => (values.includes(input as string) ? (input as Values[number]) : UNSURE),
  );
}

/** Text of at least one character. */
function nonEmptyText() {
  return fieldRule(
    () => z.string().check(z.minLength(1)),
    (input) => (typeof input === 'string' && input.length >= 1 ? input : UNSURE),
  );
}

/** Text matching `pattern` (no `g` or `y` flag: its `lastIndex` is never read), `message` when not. */
function matching(pattern: RegExp, message: string) {
  return fieldRule(
    () => z.string().check(z.regex(pattern, message)),
    (input) => (typeof input === 'string' && pattern.test(input) ? input : UNSURE),
  );
}

/** Text starting with `prefix`. */
function startingWith(prefix: string) {
  return fieldRule(
    () => z.string().check(z.startsWith(prefix)),
    (input) => (typeof input === 'string' && input.startsWith(prefix) ? input : UNSURE),
  );
}

/**
 * A URL (`z.url()`), of a scheme matching `protocol` when given. zod trims the input and drops
 * tabs and line breaks before it returns it, so the plain read takes only a URL written without
 * them (returned as is). For an http(s) `protocol` zod also wants `//` after the scheme (so that
 * `http:host` is refused); the plain read wants it whenever a protocol is set, which is as strict.
 */
function url(protocol?: RegExp) {
  return fieldRule(
    () => (protocol ? z.url({ protocol }) : z.url()),
    (input) => {
      if (typeof input !== 'string' || input !== input.trim() || /[\t\n\r]/.test(input)) return UNSURE;
      const parsed = URL.parse(input);
      if (parsed === null) return UNSURE;
      if (protocol && !(/^https?:\/\//i.test(input) && protocol.test(parsed.protocol.slice(0, -1)))) {
        return UNSURE;
      }
      return input;
    },
  );
}

/** `rule`, and `holds` of its value (`message` when not). zod runs `holds` even on a value `rule` refused. */
function refined<Schema extends z.ZodMiniType<string>>(
  rule: FieldRule<Schema>,
  holds: (value: z.output<Schema>) => boolean,
  message: string,
) {
  return fieldRule(
    () => rule.schema.check(z.refine(holds, message)),
    (input) => {
      const value = rule.read(input);
      return value !== UNSURE && holds(value) ? value : UNSURE;
    },
  );
}

/** `rule`, or absent. */
function optional<Schema extends z.ZodMiniType>(rule: FieldRule<Schema>) {
  return fieldRule(
    () => z.optional(rule.schema),
    (input) => (input === undefined ? undefined : rule.read(input)),
  );
}

/**
 * `rule`, `fallback` when unset. The plain read reads the fallback through `rule`: a fresh copy
 * each time, as zod's default is.
 */
function withDefault<Schema extends z.ZodMiniType>(
  rule: FieldRule<Schema>,
  fallback: z.util.NoUndefined<z.output<Schema>>,
) {
  return fieldRule(
    () => z._default(rule.schema, fallback),
    (input) => {
      const value = rule.read(input === undefined ? fallback : input);
      // zod would put the fallback in place of an undefined value: left to it.
      return value === undefined ? UNSURE : (value as z.util.NoUndefined<z.output<Schema>> | Unsure);
    },
  );
}

/** `rule`, reading `fallback` when unset (zod's prefault: the fallback goes through the rule, and its defaults apply). */
function prefaulted<Schema extends z.ZodMiniType>(rule: FieldRule<Schema>, fallback: z.input<Schema>) {
  return fieldRule(
    () => z.prefault(rule.schema, fallback),
    (input) => rule.read(input === undefined ? fallback : input),
  );
}

/** A list of at least one item, each following `rule`. */
function nonEmptyListOf<Schema extends z.ZodMiniType>(rule: FieldRule<Schema>) {
  return fieldRule(
    () => z.array(rule.schema).check(z.minLength(1)),
    (input) => {
      if (!Array.isArray(input) || input.length < 1) return UNSURE;
      const items: z.output<Schema>[] = [];
      for (const item of input) {
        const value = rule.read(item);
        if (value === UNSURE) return UNSURE;
        items.push(value);
      }
      return items;
    },
  );
}

/**
 * A record of text keys to values following `rule`. The plain read is unsure of a key zod treats
 * apart: `__proto__` (dropped), symbols and non-enumerable keys.
 */
function recordOf<Schema extends z.ZodMiniType>(rule: FieldRule<Schema>) {
  return fieldRule(
    () => z.record(z.string(), rule.schema),
    (input) => {
      if (!isPlainObject(input)) return UNSURE;
      const record: Record<string, z.output<Schema>> = {};
      for (const key of Reflect.ownKeys(input)) {
        if (typeof key !== 'string' || key === '__proto__') return UNSURE;
        if (!Object.prototype.propertyIsEnumerable.call(input, key)) return UNSURE;
        const value = rule.read(input[key]);
        if (value === UNSURE) return UNSURE;
        record[key] = value;
      }
      return record;
    },
  );
}

/**
 * An object of `fields` (other keys dropped, as `z.object` does) for which every `crossFieldRules`
 * holds (a `superRefine` in the schema, checked after the fields in the plain read).
 */
function objectOf<Fields extends Readonly<Record<string, FieldRule<z.ZodMiniType>>>>(
  fields: Fields,
  crossFieldRules: readonly CrossFieldRule<z.output<z.ZodMiniObject<SchemasOf<Fields>>>>[] = [],
) {
  type Config = z.output<z.ZodMiniObject<SchemasOf<Fields>>>;
  const entries = Object.entries(fields);
  return fieldRule(
    () => {
      const shape = Object.fromEntries(entries.map(([key, rule]) => [key, rule.schema])) as SchemasOf<Fields>;
      const schema = z.object(shape);
      if (crossFieldRules.length === 0) return schema;
      return schema.check(
        z.superRefine((config, ctx) => {
          for (const rule of crossFieldRules) rule(config, ctx);
        }),
      );
    },
    (input) => {
      if (!isPlainObject(input)) return UNSURE;
      const config: Record<string, unknown> = {};
      for (const [key, rule] of entries) {
        const value = rule.read(input[key]);
        if (value === UNSURE) return UNSURE;
        // As zod: a key absent from the input whose value is undefined stays absent.
        if (value !== undefined || key in input) config[key] = value;
      }
      return passesAll(config as Config, crossFieldRules) ? (config as Config) : UNSURE;
    },
  );
}

/** An object literal or `JSON.parse`'s (zod takes more, and the plain read leaves those to it). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

export {
  integer,
  matching,
  nonEmptyListOf,
  nonEmptyText,
  objectOf,
  oneOf,
  optional,
  prefaulted,
  recordOf,
  refined,
  startingWith,
  url,
  withDefault,
};
