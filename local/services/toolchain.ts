import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MIN_JAVA_MAJOR } from './constants.ts';
import { ServiceError } from './errors.ts';

const run = promisify(execFile);

/**
 * Fails with an actionable message unless Java 17+ is on PATH.
 *
 * @example
 * ```ts
 * await requireJava(); // throws ServiceError naming the package to install
 * ```
 */
async function requireJava(): Promise<void> {
  let output: string;
  try {
    // `java -version` writes to stderr.
    const { stderr } = await run('java', ['-version']);
    output = stderr;
  } catch (error) {
    throw new ServiceError(
      `Java ${MIN_JAVA_MAJOR}+ is required to run Kafka and ElasticMQ locally, and \`java\` was not found: install a JDK or JRE ${MIN_JAVA_MAJOR}+ (e.g. \`apt-get install openjdk-17-jre-headless\`), or use docker-compose.yml`,
      { cause: error },
    );
  }
  const major = parseJavaMajor(output);
  if (major === undefined || major < MIN_JAVA_MAJOR) {
    throw new ServiceError(
      `Java ${MIN_JAVA_MAJOR}+ is required, found: ${output.split('\n')[0]}; install a newer JDK and put it first on PATH`,
    );
  }
}

/** Fails with an actionable message unless Maven is on PATH (it resolves the service jars). */
async function requireMaven(): Promise<void> {
  try {
    await run('mvn', ['--version']);
  } catch (error) {
    throw new ServiceError(
      'Maven is required to download the Kafka and ElasticMQ jars from Maven Central, and `mvn` was not found: install it (e.g. `apt-get install maven`)',
      { cause: error },
    );
  }
}

/** `openjdk version "17.0.15"` → 17; `java version "1.8.0_382"` → 8. */
function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

export { parseJavaMajor, requireJava, requireMaven };
