import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', '..', 'local', 'cli', 'main.ts');

interface CliProcess {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves when the output contains `text`; rejects after `timeoutMs` or if the process exits first. */
  waitFor(text: string, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code; rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<number | null>;
}

/** Runs `eventpipe <args>` with Node 24 (this process's binary) in its own process. */
function runCli(args: readonly string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor: (text, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`"${text}" not seen within ${timeoutMs} ms; output:\n${output.slice(-2_000)}`)),
          timeoutMs,
        );
        const check = () => {
          if (output.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        void exit.then((code) => {
          clearTimeout(timer);
          if (!output.includes(text))
            reject(new Error(`exited (${code}) before "${text}"; output:\n${output.slice(-2_000)}`));
        });
        check();
      }),
    exited: (timeoutMs) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs),
        ),
      ]),
  };
}

export type { CliProcess };
export { runCli };
