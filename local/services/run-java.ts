import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ServiceError } from './errors.ts';

const run = promisify(execFile);

/** Runs a Java main class to completion (e.g. Kafka's StorageTool), failing with its output. */
async function runJava(classpath: string, mainClass: string, args: readonly string[]): Promise<void> {
  try {
    await run('java', ['-cp', classpath, mainClass, ...args], { maxBuffer: 4 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new ServiceError(`${mainClass} ${args.join(' ')} failed:\n${stdout}${stderr}`.trim(), {
      cause: error,
    });
  }
}

export { runJava };
