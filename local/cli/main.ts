#!/usr/bin/env node
import { Command } from 'commander';
import { ServiceError } from '../services/errors.ts';
import { CliError } from './errors.ts';

/**
 * `eventpipe`: the product on this machine. Each command lives in its own file and is loaded only
 * when run, so `--help` and small commands start fast.
 */
const program = new Command()
  .name('eventpipe')
  .description('Kafka events processed by the Lambda handlers, locally: run, produce, inspect and redrive.')
  .showHelpAfterError();

const commands = {
  start: () => import('./commands/start.ts'),
  produce: () => import('./commands/produce.ts'),
  dlq: () => import('./commands/dlq.ts'),
  redrive: () => import('./commands/redrive.ts'),
  stats: () => import('./commands/stats.ts'),
  services: () => import('./commands/services.ts'),
} as const;

const name = process.argv[2];
if (name && Object.hasOwn(commands, name)) {
  const { register } = await commands[name as keyof typeof commands]();
  register(program);
} else {
  for (const load of Object.values(commands)) (await load()).register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CliError || error instanceof ServiceError) {
    console.error(`eventpipe: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
