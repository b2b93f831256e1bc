import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { ServiceError } from './errors.ts';
import { localServices } from './local-services.ts';
import { downService, type ServiceStatus, serviceStatus, upService } from './service-manager.ts';

const USAGE = 'usage: services <up|down|status>';

function describe(status: ServiceStatus): string {
  const who =
    status.state === 'ours'
      ? `up (pid ${status.pid}, log ${status.logFile})`
      : status.state === 'external'
        ? 'up (not started by us)'
        : status.state;
  return `${status.name.padEnd(10)} ${status.address.padEnd(24)} ${who}`;
}

async function main(command: string | undefined): Promise<number> {
  const services = localServices(loadLocalEndpoints(process.env));
  switch (command) {
    case 'up': {
      const started = Date.now();
      const statuses = await Promise.all(services.map(upService));
      for (const status of statuses) console.log(describe(status));
      console.log(`services up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    }
    case 'down': {
      for (const service of services) {
        const stopped = await downService(service);
        console.log(`${service.name.padEnd(10)} ${stopped ? 'stopped' : 'was not running (of ours)'}`);
      }
      return 0;
    }
    case 'status': {
      const statuses = await Promise.all(services.map(serviceStatus));
      for (const status of statuses) console.log(describe(status));
      return statuses.every((status) => status.state === 'ours' || status.state === 'external') ? 0 : 3;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  console.error(error instanceof ServiceError ? `services: ${error.message}` : error);
  process.exitCode = 1;
}
