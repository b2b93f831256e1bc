import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a pid file records: enough to recognise the process as ours later. */
interface PidRecord {
  readonly pid: number;
  /** A string that appears in the process's command line, e.g. `-Deventpipe.service=kafka`. */
  readonly marker: string;
}

/**
 * Starts a long-running process detached from this one, its output appended to `logFile`, and
 * records its pid. The child survives the CLI that started it; `stopRecorded` stops it later.
 *
 * @example
 * ```ts
 * const pid = await startDetached({ command: 'java', args, logFile, pidFile, marker });
 * ```
 */
async function startDetached(options: {
  command: string;
  args: readonly string[];
  logFile: string;
  pidFile: string;
  marker: string;
  cwd?: string;
}): Promise<number> {
  await mkdir(dirname(options.logFile), { recursive: true });
  await mkdir(dirname(options.pidFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', log, log],
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${options.command}`);
  }
  child.unref();
  const record: PidRecord = { pid: child.pid, marker: options.marker };
  await writeFile(options.pidFile, JSON.stringify(record));
  return child.pid;
}

/**
 * The pid recorded in `pidFile` if that process is still running and is still ours (its command
 * line carries the marker, so a recycled pid is never mistaken for it); otherwise undefined.
 */
function recordedPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
  return isOurProcess(record) ? record.pid : undefined;
}

function isOurProcess(record: PidRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${record.pid}/cmdline`;
  // Without /proc (macOS) a live pid from our own pid file is the best evidence we have.
  if (!existsSync(cmdline)) return true;
  try {
    return readFileSync(cmdline, 'utf8').includes(record.marker);
  } catch {
    return false;
  }
}

/**
 * Stops the process recorded in `pidFile`, if it is ours and alive: SIGTERM, then SIGKILL after
 * `timeoutMs`. Removes the pid file. Returns whether a process was stopped.
 */
async function stopRecorded(pidFile: string, timeoutMs: number): Promise<boolean> {
  const pid = recordedPid(pidFile);
  if (pid === undefined) {
    await rm(pidFile, { force: true });
    return false;
  }
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) {
    signal(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  await rm(pidFile, { force: true });
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** The last `lines` lines of a log file, for error messages. */
async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export { isAlive, recordedPid, startDetached, stopRecorded, tail };
