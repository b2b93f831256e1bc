import { join } from 'node:path';
import { build } from 'esbuild';
import { stackBuildOptions } from '../../bench/suites/bundles.ts';
import { bundlingFor } from '../../infra/constructs/pipeline-function/defaults.ts';
import { PROJECT_ROOT } from '../../local/services/constants.ts';
import { uniqueName } from './local-stack.ts';

/** A function bundled as the stack bundles it: the file to import and the inputs esbuild took in. */
interface StackBundle {
  readonly file: string;
  /** The project-relative paths of the modules in the bundle (esbuild's metafile). */
  readonly inputs: readonly string[];
}

/**
 * Bundles a function's entry with the stack's esbuild options (`bundlingFor`, the aliases, as
 * `NodejsFunction` passes them) under `.local/test-bundles/`, so that the externals (`@aws-sdk/*`)
 * resolve from the project's node_modules as on Lambda's runtime.
 *
 * @example
 * ```ts
 * const { file, inputs } = await bundleAsTheStack('functions/ingest/handler.ts', { kafkaDeadLetters: true });
 * ```
 */
async function bundleAsTheStack(
  entry: string,
  options: { readonly kafkaDeadLetters: boolean },
): Promise<StackBundle> {
  const outdir = join(
    PROJECT_ROOT,
    '.local',
    'test-bundles',
    uniqueName(entry.split('/').at(-2) ?? 'bundle'),
  );
  const buildOptions = stackBuildOptions(entry, outdir, [], bundlingFor(options));
  const result = await build({ ...buildOptions, logLevel: 'silent' });
  const output = Object.values(result.metafile?.outputs ?? {}).find((entryOutput) => entryOutput.entryPoint);
  return { file: buildOptions.outfile ?? '', inputs: Object.keys(output?.inputs ?? {}) };
}

/**
 * The modules of `@platformatic/kafka` that only its admin and consumer clients and its schema
 * registries need, and its entry that re-exports them all. The admin's and consumer's options
 * compile 28 JSON schemas with ajv at import, and esbuild keeps all of it behind the package entry:
 * `kafka-producer-only.ts` (an alias) keeps the functions to the producer.
 */
const KAFKA_MODULES_BEYOND_THE_PRODUCER =
  /@platformatic\/kafka\/dist\/(index\.js|clients\/(admin|consumer)\/|registries\/(?!abstract\.js))|node_modules\/avsc\//;

export type { StackBundle };
export { bundleAsTheStack, KAFKA_MODULES_BEYOND_THE_PRODUCER };
