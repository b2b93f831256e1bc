import type * as z from 'zod/mini';

/**
 * What a plain read answers for an input that is not plainly valid. The rule's schema then parses
 * the input: it words the failure, or accepts what the plain read does not know (a URL with spaces
 * around it, an object that is not a plain one).
 */
const UNSURE: unique symbol = Symbol('unsure');
type Unsure = typeof UNSURE;

/**
 * One configuration field's rule, stated once, from which both are made: its zod schema, built on
 * first use (the deployment settings at synth; a function only for a configuration its plain read
 * is unsure of, to word the failure), and a plain read that builds no zod object. A function reads
 * its configuration once per container, at cold start, where building some sixty schema objects
 * and running zod's parsing code cold would cost a noticeable part of its init.
 *
 * `read` returns exactly what `schema` returns for an input it accepts, or {@link UNSURE}; it never
 * accepts what the schema refuses (a property test holds each configuration to its schema).
 */
interface FieldRule<Schema extends z.ZodMiniType> {
  /** The zod schema, built once, on first use: every caller gets the very same object. */
  readonly schema: Schema;
  read(input: unknown): z.output<Schema> | Unsure;
}

/** A configuration-wide rule across fields: reports each conflict to `issues` (zod's refinement context, or a plain read's tally). */
type CrossFieldRule<Config> = (config: Config, issues: IssueSink) => void;

/** Where a {@link CrossFieldRule} reports a conflict: zod's `ctx` in a `superRefine`, or a plain read's tally. */
interface IssueSink {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** The field schemas of a record of rules. */
type SchemasOf<Rules> = { -readonly [K in keyof Rules]: Rules[K] extends FieldRule<infer S> ? S : never };

function fieldRule<Schema extends z.ZodMiniType>(
  build: () => Schema,
  read: (input: unknown) => z.output<Schema> | Unsure,
): FieldRule<Schema> {
  let schema: Schema | undefined;
  return {
    get schema() {
      schema ??= build();
      return schema;
    },
    read,
  };
}

/**
 * The rules' zod schemas under the same keys, each read through its rule (so built on first read,
 * and the same object wherever it is read: the deployment settings and the functions' schemas
 * share them). Listing or spreading the keys builds nothing; spreading the values builds them.
 */
function schemasOf<Rules extends Readonly<Record<string, FieldRule<z.ZodMiniType>>>>(
  rules: Rules,
): Readonly<SchemasOf<Rules>> {
  const schemas = {};
  for (const [key, rule] of Object.entries(rules)) {
    Object.defineProperty(schemas, key, { get: () => rule.schema, enumerable: true });
  }
  return schemas as SchemasOf<Rules>;
}

/** Whether every rule passes: the plain read's side of a {@link CrossFieldRule}. */
function passesAll<Config>(config: Config, rules: readonly CrossFieldRule<Config>[]): boolean {
  let passed = true;
  const tally: IssueSink = {
    addIssue: () => {
      passed = false;
    },
  };
  for (const rule of rules) rule(config, tally);
  return passed;
}

export type { CrossFieldRule, FieldRule, IssueSink, SchemasOf, Unsure };
export { fieldRule, passesAll, schemasOf, UNSURE };
