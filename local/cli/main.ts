import { loadLocalEndpoints } from '#shared/config/local-endpoints.ts';

// Placeholder entry until the local runtime lands: brings the services up and says where they are.
const { execFileSync } = await import('node:child_process');
execFileSync(process.execPath, [new URL('../services/cli.ts', import.meta.url).pathname, 'up'], {
  stdio: 'inherit',
});
const endpoints = loadLocalEndpoints(process.env);
console.log(`Kafka: ${endpoints.kafkaBrokers.join(',')}\nSQS:   ${endpoints.sqsEndpoint}`);
