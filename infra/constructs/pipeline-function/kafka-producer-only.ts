/**
 * What the functions' bundles get for `@platformatic/kafka` (ESBUILD_ALIASES in `defaults.ts`
 * points the package here): the producer alone, from its own file.
 *
 * The package's one entry (`"exports": "./dist/index.js"` in its package.json, 2.12.1) re-exports
 * every client, and `dist/clients/admin/options.js` (23 validators) and
 * `dist/clients/consumer/options.js` (5) call `ajv.compile(...)` at the top level, which esbuild
 * must keep (it cannot tell they have no side effect); the schema registries (`dist/registries/`,
 * avsc) come along too. The product only ever uses `Producer` (`shared/adapters/kafka-event-producer.ts`,
 * `shared/adapters/kafka-dead-letter-topic.ts`), and compiling the validators of clients it never
 * creates cost ≈190 ms of every cold start of the ingest function (≈480 → ≈285 ms to import the
 * bundle). The relative file path gets past `exports`, which allows no subpath.
 *
 * Unbundled code (tests, the local runtime) imports the package itself. Export here everything the
 * product's code takes from `@platformatic/kafka`: a missing name fails the build, not the function.
 */
export { Producer } from '../../../node_modules/@platformatic/kafka/dist/clients/producer/producer.js';
