import type { Command } from 'commander';
import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';
import { localServices } from '../../services/local-services.ts';
import { downService, serviceStatus, upService } from '../../services/service-manager.ts';

/** `eventpipe services up|down|status`: the local Kafka broker and SQS server. */
function register(program: Command): void {
  const services = program.command('services').description('manage the local Kafka broker and ElasticMQ');
  services
    .command('up')
    .description('start Kafka (127.0.0.1:9092) and ElasticMQ (127.0.0.1:9324) unless they answer already')
    .action(async () => {
      for (const status of await Promise.all(localServices(loadLocalEndpoints(process.env)).map(upService))) {
        console.log(`${status.name.padEnd(10)} ${status.address} ${status.state}`);
      }
    });
  services
    .command('down')
    .description('stop the services this tool started (by pid file)')
    .action(async () => {
      for (const service of localServices(loadLocalEndpoints(process.env))) {
        console.log(
          `${service.name.padEnd(10)} ${(await downService(service)) ? 'stopped' : 'was not running'}`,
        );
      }
    });
  services
    .command('status')
    .description('what runs where')
    .action(async () => {
      for (const status of await Promise.all(
        localServices(loadLocalEndpoints(process.env)).map(serviceStatus),
      )) {
        console.log(
          `${status.name.padEnd(10)} ${status.address} ${status.state}${status.pid ? ` (pid ${status.pid})` : ''}`,
        );
      }
    });
}

export { register };
