/**
 * What the functions' bundles get for `@platformatic/kafka` (ESBUILD_ALIASES in `defaults.ts`
 * points the package here): the producer alone, from its own file.
 *
 * The package's one entry (`"exports": "./dist/index.js"` in its package.json, 2.12.1) re-exports
 * every client, and `dist/clients/admin/options.js` (23 validators) and
 * `dist/clients/consumer/options.js` (5) call `ajv.compile(...)` at the top level, which esbuild
 * must keep (it cannot tell they have no side effect); the schema registries (`dist/registries/`,
 * avsc) come along too. The functions only ever use `Producer` (`shared/adapters/kafka-event-producer.ts`,
 * `shared/adapters/kafka-dead-letter-topic.ts`), and compiling the validators of clients it never
 * creates was ≈40 % of every cold start of the ingest function (importing its bundle in a fresh
 * Node 24 with source maps: ≈400–500 → ≈250–275 ms; 829 → 667 KB). The relative file path gets
 * past `exports`, which allows no subpath.
 *
 * Unbundled code (tests, the local runtime) imports the package itself, and the types are the
 * package's. Export here every name the functions take from `@platformatic/kafka`: one missing
 * fails the build where it is imported statically, but is `undefined` at run time through the
 * dead-letter producer's `import()` (test/integration/pipeline/bundled-kafka-consumer.test.ts).
 */
export { Producer } from '../../../node_modules/@platformatic/kafka/dist/clients/producer/producer.js';
