import { join } from 'node:path';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The repository root: entry points and the lock file are resolved from here. */
const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..');

/** Fixed for every function of the product: Node 24 on Graviton. */
const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
const FUNCTION_ARCHITECTURE = Architecture.ARM_64;
const LOG_RETENTION = RetentionDays.ONE_MONTH;

/**
 * Imports esbuild redirects. `@platformatic/wasm-utils` (the Kafka client's CRC32C and
 * compression) reads `native.wasm` beside its own file when it is imported, and a bundle has no
 * such file: every function carrying the Kafka producer failed at import with ENOENT. Its
 * `bundled` entry carries the same WebAssembly inline.
 *
 * `@platformatic/kafka` becomes the producer alone (`kafka-producer-only.ts` says why). esbuild
 * resolves an alias's target from its working directory, the project root for `NodejsFunction`
 * (which runs the local esbuild there) and for the bench and tests (`absWorkingDir`).
 */
const ESBUILD_ALIASES: Readonly<Record<string, string>> = {
  '@platformatic/wasm-utils': '@platformatic/wasm-utils/bundled',
  '@platformatic/kafka': './infra/constructs/pipeline-function/kafka-producer-only.ts',
};

/**
 * Bundled with the local esbuild (a devDependency, so synth needs no Docker): ESM, source maps,
 * the AWS SDK left to the runtime. The banner gives CommonJS dependencies a `require`.
 */
const DEFAULT_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  sourceMap: true,
  // `--enable-source-maps` rewrites stack traces from the mappings and the source names alone. The
  // sources' text is most of each map (≈650 of ≈830 KB for the consumer), which Node reads and
  // parses at every cold start for nothing, and it would ship the source code in the asset.
  sourcesContent: false,
  minify: true,
  externalModules: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  forceDockerBundling: false,
  // CDK writes each as `--alias:<from>=<to>` (aws-lambda-nodejs bundling.js, toCliArgsArray).
  esbuildArgs: { '--alias': Object.entries(ESBUILD_ALIASES).map(([from, to]) => `${from}=${to}`) },
};

/**
 * The compile-time constant the functions branch on before importing the Kafka dead-letter
 * producer and the MSK IAM signer (`shared/adapters/kafka-connection.ts`): defined `false`, esbuild
 * drops both (−730 KB of a ≈890 KB bundle) when the settings dead-letter to SQS only.
 */
const KAFKA_DLQ_BUNDLE_DEFINE = 'globalThis.EVENTPIPE_BUNDLE_KAFKA_DLQ';

/** The bundling of one function: the defaults plus whether its settings need the Kafka producer. */
function bundlingFor(options: { readonly kafkaDeadLetters: boolean }): BundlingOptions {
  return {
    ...DEFAULT_BUNDLING,
    define: { [KAFKA_DLQ_BUNDLE_DEFINE]: String(options.kafkaDeadLetters) },
  };
}

export { bundlingFor, ESBUILD_ALIASES, FUNCTION_ARCHITECTURE, FUNCTION_RUNTIME, LOG_RETENTION, PROJECT_ROOT };
