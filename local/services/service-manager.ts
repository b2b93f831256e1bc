import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  LOCAL_STATE_DIR,
  SERVICE_READY_POLL_MS,
  SERVICE_READY_TIMEOUT_MS,
  SERVICE_STOP_TIMEOUT_MS,
} from './constants.ts';
import { ServiceError } from './errors.ts';
import type { LocalService } from './local-service.ts';
import { isAlive, recordedPid, startDetached, stopRecorded, tail } from './process-control.ts';
import { requireJava } from './toolchain.ts';

/** `ours`: started by this manager; `external`: something else answers (e.g. docker-compose). */
type ServiceState = 'ours' | 'external' | 'starting' | 'down';

interface ServiceStatus {
  readonly name: string;
  readonly address: string;
  readonly state: ServiceState;
  readonly pid?: number;
  readonly logFile: string;
}

const pidFileOf = (service: LocalService) => join(LOCAL_STATE_DIR, 'run', `${service.name}.pid`);
const logFileOf = (service: LocalService) => join(LOCAL_STATE_DIR, 'logs', `${service.name}.log`);

/**
 * Brings a service up unless it already answers; waits until it serves requests. Idempotent: a
 * service that is up (ours or someone else's on the same address) is left as it is.
 *
 * @example
 * ```ts
 * const status = await upService(kafkaService({ host: '127.0.0.1', port: 9092 }));
 * ```
 */
async function upService(service: LocalService): Promise<ServiceStatus> {
  const current = await serviceStatus(service);
  if (current.state === 'ours' || current.state === 'external') return current;
  if (current.state === 'starting' && current.pid !== undefined) {
    await waitReady(service, current.pid);
    return serviceStatus(service);
  }
  await requireJava();
  const launch = await service.prepare();
  const pid = await startDetached({
    ...launch,
    logFile: logFileOf(service),
    pidFile: pidFileOf(service),
  });
  await waitReady(service, pid);
  return serviceStatus(service);
}

/** Stops the service if this manager started it (by its pid file, never by name). */
async function downService(service: LocalService): Promise<boolean> {
  return stopRecorded(pidFileOf(service), SERVICE_STOP_TIMEOUT_MS);
}

async function serviceStatus(service: LocalService): Promise<ServiceStatus> {
  const pid = recordedPid(pidFileOf(service));
  const ready = await service.isReady();
  const state: ServiceState = pid === undefined ? (ready ? 'external' : 'down') : ready ? 'ours' : 'starting';
  return { name: service.name, address: service.address, state, pid, logFile: logFileOf(service) };
}

async function waitReady(service: LocalService, pid: number): Promise<void> {
  const deadline = Date.now() + SERVICE_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new ServiceError(
        `${service.name} exited during start-up; last lines of ${logFileOf(service)}:\n${await tail(logFileOf(service))}`,
      );
    }
    if (await service.isReady()) return;
    await sleep(SERVICE_READY_POLL_MS);
  }
  await stopRecorded(pidFileOf(service), SERVICE_STOP_TIMEOUT_MS);
  throw new ServiceError(
    `${service.name} did not answer on ${service.address} within ${SERVICE_READY_TIMEOUT_MS / 1000} s (stopped it); last lines of ${logFileOf(service)}:\n${await tail(logFileOf(service))}`,
  );
}

export type { ServiceState, ServiceStatus };
export { downService, serviceStatus, upService };
