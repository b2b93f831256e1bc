/** How to launch a prepared service process. */
interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** Appears in the process's command line, so `down` recognises the process as ours. */
  readonly marker: string;
}

/**
 * One local service the manager can bring up and down (Kafka, ElasticMQ). `prepare` does the
 * one-time work (jars, configuration, storage format) and says how to launch; `isReady` asks the
 * service itself, over its own protocol, whether it serves requests.
 */
interface LocalService {
  readonly name: string;
  /** What clients connect to, for status output, e.g. `127.0.0.1:9092`. */
  readonly address: string;
  prepare(): Promise<LaunchSpec>;
  isReady(): Promise<boolean>;
}

export type { LaunchSpec, LocalService };
