import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { bundlingFor, ESBUILD_ALIASES } from '../../infra/constructs/pipeline-function/defaults.ts';
import { LOCAL_STATE_DIR, PROJECT_ROOT } from '../../local/services/constants.ts';

/**
 * What the benchmarks bundle: the functions as deployed, the peers, and the consumer with no-op
 * processors. `kafkaProducer`: bundled as the stack bundles a function that produces to Kafka
 * itself (the ingest function always does).
 */
const BUNDLES = {
  'kafka-consumer': { entry: 'functions/kafka-consumer/handler.ts', role: 'function' },
  ingest: { entry: 'functions/ingest/handler.ts', role: 'function', kafkaProducer: true },
  'retry-worker': { entry: 'functions/retry-worker/handler.ts', role: 'function' },
  'powertools-peer': { entry: 'bench/peers/powertools-kafka-consumer.ts', role: 'peer' },
  'powertools-peer-with-codecs': {
    entry: 'bench/peers/powertools-kafka-consumer.ts',
    role: 'peer-with-codecs',
  },
  'hand-written-floor': { entry: 'bench/peers/hand-written-floor.ts', role: 'peer' },
  'kafka-consumer-noop': { entry: 'bench/peers/eventpipe-consumer-noop.ts', role: 'function' },
} as const;

type BundleName = keyof typeof BUNDLES;

/** What the stack defines for the default settings (SQS DLQ): no Kafka producer in the bundle. */
const STACK_BUNDLING = bundlingFor({ kafkaDeadLetters: false });

/**
 * `@aws-lambda-powertools/kafka` 2.35.0 reaches avro-js and protobufjs through literal dynamic
 * imports that esbuild must resolve, so a JSON-only handler does not bundle unless both are
 * installed, and then ships both codecs (issue #5557; the fix, PR #5578, is not in 2.35.0). So the
 * peer is built two ways:
 *
 * - `powertools-peer-with-codecs`: as a user can deploy it with 2.35.0 and `NodejsFunction` (which
 *   takes no esbuild plugins): avro-js, protobufjs and underscore installed (avro-js requires
 *   underscore without declaring it) and bundled;
 * - `powertools-peer`: the leanest peer possible, what Powertools' fix will give: this build alone
 *   replaces both codecs with an empty module (marking them external does not work in an ESM
 *   bundle: esbuild hoists the deserializers' static imports, so the peer fails to load without
 *   them). A JSON-only handler never loads them. The hardest peer to beat, so the ratios are to it.
 */
const PEER_STUBS: Plugin = {
  name: 'peer-stubs',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(avro-js|protobufjs)$/ }, (args) => ({
      path: args.path,
      namespace: 'peer-stub',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'peer-stub' }, () => ({
      contents: 'module.exports = {};',
      loader: 'js',
    }));
  },
};

interface BuiltBundle {
  readonly name: BundleName;
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
  readonly metafile: Metafile;
}

/**
 * esbuild's options for one entry exactly as `NodejsFunction` turns the stack's
 * bundling for the default settings into command-line flags (aws-cdk-lib `bundling.js` `buildEsbuildArgs`):
 * bundle, platform node, ESM to `index.mjs`, minify, source map (with or without the sources'
 * text), externals, defines, banner, main fields, aliases; plus a metafile for the report.
 */
function stackBuildOptions(
  entry: string,
  outdir: string,
  plugins: readonly Plugin[] = [],
  bundling = STACK_BUNDLING,
): BuildOptions {
  return {
    entryPoints: [join(PROJECT_ROOT, entry)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: bundling.target,
    format: bundling.format === 'esm' ? 'esm' : 'cjs',
    outfile: join(outdir, bundling.format === 'esm' ? 'index.mjs' : 'index.js'),
    minify: bundling.minify,
    sourcemap: bundling.sourceMap ? true : undefined,
    sourcesContent: bundling.sourcesContent ?? true,
    external: [...(bundling.externalModules ?? [])],
    define: { ...bundling.define },
    banner: bundling.banner ? { js: bundling.banner } : undefined,
    mainFields: bundling.mainFields,
    alias: { ...ESBUILD_ALIASES },
    plugins: [...plugins],
    metafile: true,
    logLevel: 'error',
  };
}

let builtOnce: Promise<Record<BundleName, BuiltBundle>> | undefined;

/** Bundles every entry of {@link BUNDLES} under `.local/bench/bundles/<name>/`, once per run. */
function buildBundles(): Promise<Record<BundleName, BuiltBundle>> {
  builtOnce ??= buildAll();
  return builtOnce;
}

async function buildAll(): Promise<Record<BundleName, BuiltBundle>> {
  const built = {} as Record<BundleName, BuiltBundle>;
  for (const [name, spec] of Object.entries(BUNDLES) as [BundleName, (typeof BUNDLES)[BundleName]][]) {
    const { entry, role } = spec;
    // Inside the project, so that the externals (@aws-sdk/*) resolve from node_modules as on Lambda's runtime.
    const outdir = join(LOCAL_STATE_DIR, 'bench', 'bundles', name);
    mkdirSync(outdir, { recursive: true });
    const bundling = 'kafkaProducer' in spec ? bundlingFor({ kafkaDeadLetters: true }) : STACK_BUNDLING;
    const options = stackBuildOptions(entry, outdir, role === 'peer' ? [PEER_STUBS] : [], bundling);
    const result = await build(options);
    const file = options.outfile ?? '';
    built[name] = {
      name,
      file,
      bytes: statSync(file).size,
      mapBytes: statSync(`${file}.map`).size,
      metafile: result.metafile ?? { inputs: {}, outputs: {} },
    };
  }
  return built;
}

/** The bundle's bytes by package (or `(project)` for our own files), largest first. */
function topInputs(bundle: BuiltBundle, count = 8): { input: string; kb: number; share: number }[] {
  const output = Object.values(bundle.metafile.outputs).find((entry) => entry.entryPoint !== undefined);
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = match?.[1] ?? '(project)';
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([input, bytes]) => ({
      input,
      kb: Math.round(bytes / 1_024),
      share: Number((bytes / bundle.bytes).toFixed(3)),
    }));
}

export type { BuiltBundle, BundleName };
export { BUNDLES, buildBundles, PEER_STUBS, stackBuildOptions, topInputs };
