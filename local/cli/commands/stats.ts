import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { EmfAggregate } from '../../observability/emf-aggregate.ts';
import { LOCAL_STATE_DIR } from '../../services/constants.ts';
import { CliError } from '../errors.ts';

const EMF_FILE = join(LOCAL_STATE_DIR, 'metrics', 'emf.jsonl');

/** `eventpipe stats`: the counters and latencies the handlers published, aggregated. */
function register(program: Command): void {
  program
    .command('stats')
    .description('aggregate the metrics (EMF) the handlers wrote locally')
    .option('--file <path>', 'EMF file', EMF_FILE)
    .action(async (options: { file: string }) => {
      if (!existsSync(options.file))
        throw new CliError(`no metrics yet at ${options.file}: run \`npm start\` first`);
      const aggregate = new EmfAggregate();
      for await (const line of createInterface({ input: createReadStream(options.file) })) {
        if (line.trim()) aggregate.add(JSON.parse(line) as Record<string, unknown>);
      }
      console.log(`${aggregate.blobs} invocations recorded in ${options.file}`);
      for (const role of aggregate.roles()) {
        console.log(`\n${role}`);
        for (const [name, value] of Object.entries(aggregate.counts(role)).sort())
          console.log(`  ${name.padEnd(24)} ${value}`);
        for (const name of ['ProcessingLatency', 'EventAge', 'BatchSize']) {
          const p50 = aggregate.percentile(role, name, 50);
          if (p50 === undefined) continue;
          console.log(`  ${`${name} p50/p99`.padEnd(24)} ${p50} / ${aggregate.percentile(role, name, 99)}`);
        }
      }
    });
}

export { register };
