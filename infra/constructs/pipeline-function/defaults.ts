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
 * Bundled with the local esbuild (a devDependency, so synth needs no Docker): ESM, source maps,
 * the AWS SDK left to the runtime. The banner gives CommonJS dependencies a `require`.
 */
const DEFAULT_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  sourceMap: true,
  minify: true,
  externalModules: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  forceDockerBundling: false,
};

export { DEFAULT_BUNDLING, FUNCTION_ARCHITECTURE, FUNCTION_RUNTIME, LOG_RETENTION, PROJECT_ROOT };
