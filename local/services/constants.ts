import { join } from 'node:path';

/** The repository root, so that every path below works from any working directory. */
const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** Everything the local services write (jars, data, logs, pid files) lives here; git ignores it. */
const LOCAL_STATE_DIR = join(PROJECT_ROOT, '.local');

/** Apache Kafka from Maven Central; 4.3.1 is the release every artifact of which is served. */
const KAFKA_VERSION = '4.3.1';
/** ElasticMQ 1.6+ implements StartMessageMoveTask; 1.7.1 is the newest on Maven Central. */
const ELASTICMQ_VERSION = '1.7.1';
/** Kafka logs through SLF4J and ships no backend; without one it prints nothing useful. */
const SLF4J_SIMPLE_VERSION = '2.0.17';
const MIN_JAVA_MAJOR = 17;

/** A cold JVM on 2 cores needs 10-20 s; the first Kafka start also formats storage. */
const SERVICE_READY_TIMEOUT_MS = 90_000;
const SERVICE_READY_POLL_MS = 500;
/** Kafka flushes and closes its log segments on SIGTERM; give it time before SIGKILL. */
const SERVICE_STOP_TIMEOUT_MS = 30_000;

const KAFKA_CONTROLLER_PORT = 9093;
const KAFKA_HEAP = '-Xmx768m';
const ELASTICMQ_HEAP = '-Xmx256m';

export {
  ELASTICMQ_HEAP,
  ELASTICMQ_VERSION,
  KAFKA_CONTROLLER_PORT,
  KAFKA_HEAP,
  KAFKA_VERSION,
  LOCAL_STATE_DIR,
  MIN_JAVA_MAJOR,
  PROJECT_ROOT,
  SERVICE_READY_POLL_MS,
  SERVICE_READY_TIMEOUT_MS,
  SERVICE_STOP_TIMEOUT_MS,
  SLF4J_SIMPLE_VERSION,
};
