import { setTimeout as sleep } from 'node:timers/promises';
import { localServices } from '../../local/services/local-services.ts';
import { downService, upService } from '../../local/services/service-manager.ts';
import { endpoints } from './local-stack.ts';

type ServiceName = 'kafka' | 'elasticmq';

function serviceNamed(name: ServiceName) {
  const service = localServices(endpoints).find((candidate) => candidate.name === name);
  if (!service) throw new Error(`no local service named ${name}`);
  return service;
}

/**
 * Stops a local service the way an outage would (SIGTERM to its process) and returns how long
 * stopping took. Fault tests can only stop what `npm run services:up` started: a service someone
 * else runs (docker-compose) makes the test fail with that reason rather than pass untested.
 *
 * @example
 * ```ts
 * await stopService('kafka');
 * try { await sleep(10_000); } finally { await startService('kafka'); }
 * ```
 */
async function stopService(name: ServiceName): Promise<number> {
  const started = Date.now();
  if (!(await downService(serviceNamed(name)))) {
    throw new Error(
      `${name} was not started by \`npm run services:up\`, so this fault test cannot stop it; stop the external one and run \`npm test\``,
    );
  }
  return Date.now() - started;
}

/** Starts a stopped local service again and returns how long it took to serve requests. */
async function startService(name: ServiceName): Promise<number> {
  const started = Date.now();
  await upService(serviceNamed(name));
  return Date.now() - started;
}

interface Outage<T> {
  readonly stopMs: number;
  /** From stopped to serving again, start-up included. */
  readonly downMs: number;
  readonly startMs: number;
  /** What `atEndOfDowntime` measured just before the restart. */
  readonly measured: T;
}

/**
 * Stops a local service for `downMs`, then starts it again — also when the test fails meanwhile,
 * so that one failing fault test never leaves the stack down for the others.
 *
 * @example
 * ```ts
 * const outage = await serviceOutage('kafka', 10_000, () => sink.deliveries.size);
 * ```
 */
async function serviceOutage<T>(
  name: ServiceName,
  downMs: number,
  atEndOfDowntime: () => T,
): Promise<Outage<T>> {
  const stopMs = await stopService(name);
  const stoppedAt = Date.now();
  let measured: T;
  let startMs = 0;
  try {
    await sleep(downMs);
    measured = atEndOfDowntime();
  } finally {
    startMs = await startService(name);
  }
  return { stopMs, downMs: Date.now() - stoppedAt, startMs, measured };
}

export type { Outage };
export { serviceOutage };
