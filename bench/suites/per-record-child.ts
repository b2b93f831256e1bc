import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { localContext } from '../../local/esm/invoke.ts';
import { benchEvent, benchRecords } from './payloads.ts';

/**
 * Child process of the per-record benchmark (stdout is discarded: the handlers log and publish
 * metrics as deployed). argv: result file, quick flag, then `name=bundle path` pairs. Imports each
 * bundle once, then for each payload size runs the handlers in rotating order, round after round,
 * and records ns per record for every handler and round.
 */
const [resultFile, quickFlag, ...pairs] = process.argv.slice(2);
const quick = quickFlag === 'quick';
const SIZES = [256, 1_024, 8_192] as const;
const RECORDS = 1_000;
const ROUNDS = quick ? 3 : 15;
const INVOCATIONS_PER_ROUND = quick ? 2 : 8;
const WARM_UP_INVOCATIONS = quick ? 2 : 10;

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const handlers: { name: string; handler: Handler }[] = [];
for (const pair of pairs) {
  const [name, file] = pair.split('=');
  const module = (await import(pathToFileURL(file ?? '').href)) as { handler: Handler };
  handlers.push({ name: name ?? '', handler: module.handler });
}

const samples: Record<string, Record<string, number[]>> = {};
for (const size of SIZES) {
  const event = benchEvent(benchRecords(RECORDS, size));
  const bySize: Record<string, number[]> = {};
  samples[size] = bySize;
  for (const { handler } of handlers) {
    for (let i = 0; i < WARM_UP_INVOCATIONS; i++) await handler(event, context());
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < handlers.length; i++) {
      const entry = handlers[(i + round) % handlers.length];
      if (!entry) continue;
      const started = performance.now();
      for (let n = 0; n < INVOCATIONS_PER_ROUND; n++) await entry.handler(event, context());
      const nsPerRecord = ((performance.now() - started) * 1e6) / (INVOCATIONS_PER_ROUND * RECORDS);
      bySize[entry.name] = [...(bySize[entry.name] ?? []), nsPerRecord];
    }
  }
}
writeFileSync(resultFile ?? '', JSON.stringify(samples));

function context() {
  return localContext({ functionName: 'eventpipe-bench', timeoutMs: 60_000 });
}
