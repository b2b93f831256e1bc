import type * as z from 'zod/mini';
import { type FieldRule, UNSURE } from './field-rule.ts';
import { formatConfigError } from './format-config-error.ts';

/** How a value travels as an environment variable (a string). */
const EnvCodec = { TEXT: 'text', NUMBER: 'number', LIST: 'list', JSON: 'json' } as const;
type EnvCodec = (typeof EnvCodec)[keyof typeof EnvCodec];

/**
 * Which environment variable each configuration value comes from (nested values by dotted path),
 * and how it is written there. The order is the order of the problems in an error message.
 */
type EnvTable = Readonly<Record<string, readonly [string, EnvCodec]>>;

const JSON_FORMAT = 'must be a JSON object {"<event type>": "<https url>"}';

function decodeValue(text: string, codec: EnvCodec): unknown {
  if (codec === EnvCodec.NUMBER) return Number(text);
  if (codec === EnvCodec.LIST) return text.split(',').map((item) => item.trim());
  if (codec === EnvCodec.JSON) return JSON.parse(text) as unknown;
  return text;
}

function encodeValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The environment as the schema's input: nested objects, numbers, lists, parsed JSON. */
function decodeEnvironment(
  table: EnvTable,
  env: Readonly<Record<string, string | undefined>>,
): { raw: Record<string, unknown>; issues: z.core.$ZodIssue[] } {
  const raw: Record<string, unknown> = {};
  const issues: z.core.$ZodIssue[] = [];
  for (const [path, [name, codec]] of Object.entries(table)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const keys = path.split('.');
    try {
      setPath(raw, keys, decodeValue(text, codec));
    } catch {
      issues.push({ code: 'custom', path: keys, message: JSON_FORMAT, input: text });
    }
  }
  return { raw, issues };
}

function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  const [head, ...rest] = keys;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ?? {}) as Record<string, unknown>;
  target[head] = child;
  setPath(child, rest, value);
}

/**
 * Parses a configuration from an environment through its table, failing with every offending
 * variable named in one message (at cold start, before any work is touched).
 *
 * @param rule - the configuration's rule ({@link FieldRule}): its plain read, and its schema
 * @param table - where each value comes from ({@link EnvTable})
 * @param env - the environment to read, usually `process.env`
 * @example
 * ```ts
 * const config = loadFromEnvironment(RuntimeConfigRule, RUNTIME_ENV, process.env);
 * ```
 */
function loadFromEnvironment<Schema extends z.ZodMiniType>(
  rule: FieldRule<Schema>,
  table: EnvTable,
  env: Readonly<Record<string, string | undefined>>,
): z.output<Schema> {
  const { raw, issues } = decodeEnvironment(table, env);
  // Read once per container: the plain read builds no schema and runs none of zod's parsing code,
  // which would run cold here; the schema is built and parses only a configuration the plain read
  // is unsure of, to word the failure (or to accept what the plain read leaves to it).
  if (issues.length === 0) {
    const value = rule.read(raw);
    if (value !== UNSURE) return value;
  }
  // zod's JIT would compile a fast path for this object (a few ms) that is never used again.
  const parsed = rule.schema.safeParse(raw, { jitless: true });
  if (parsed.success && issues.length === 0) return parsed.data;
  const paths = Object.keys(table);
  const pathIndex = (issue: z.core.$ZodIssue) => {
    const at = issue.path.join('.');
    const index = paths.findIndex((path) => at === path || at.startsWith(`${path}.`));
    return index === -1 ? paths.length : index;
  };
  const all = [...issues, ...(parsed.error?.issues ?? [])].sort((a, b) => pathIndex(a) - pathIndex(b));
  const variableOf = Object.fromEntries(Object.entries(table).map(([path, [name]]) => [path, name]));
  throw new Error(formatConfigError({ issues: all }, variableOf));
}

/**
 * The environment variables that reproduce a configuration through its table: what the CDK stack
 * sets on a function. `AWS_REGION` is never written (Lambda sets it).
 *
 * @example
 * ```ts
 * new NodejsFunction(this, 'Fn', { environment: toEnvironment(RUNTIME_ENV, config) });
 * ```
 */
function toEnvironment(table: EnvTable, config: object): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [path, [name]] of Object.entries(table)) {
    if (name === 'AWS_REGION') continue;
    const value = path
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
    if (value !== undefined) environment[name] = encodeValue(value);
  }
  return environment;
}

export type { EnvTable };
export { EnvCodec, loadFromEnvironment, toEnvironment };
