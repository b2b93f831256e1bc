import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../local/services/constants.ts';
import type { ColdStartResult } from './suites/cold-start.ts';
import { groupedBars } from './svg-charts.ts';

/**
 * Renders docs/charts/lean-bundle.svg and lean-init.svg (issue 12): bundle size and init of both
 * functions against the Powertools peer and the floor, before and after, from two `--lean-only`
 * results files. Usage: node bench/render-lean-charts.ts <before.json> <after.json>
 */
const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile)
  throw new Error('usage: node bench/render-lean-charts.ts <before.json> <after.json>');
const read = (file: string) =>
  (JSON.parse(readFileSync(file, 'utf8')) as { coldStart: ColdStartResult }).coldStart;
const runs = [
  { name: 'before', result: read(beforeFile) },
  { name: 'after', result: read(afterFile) },
];
const BUNDLES = ['kafka-consumer', 'retry-worker', 'powertools-peer', 'hand-written-floor'] as const;
const out = join(PROJECT_ROOT, 'docs', 'charts');
mkdirSync(out, { recursive: true });

writeFileSync(
  join(out, 'lean-bundle.svg'),
  groupedBars(
    'Minified bundle (KB), as the stack bundles it',
    'KB',
    [...BUNDLES],
    runs.map(({ name, result }) => ({
      name,
      values: BUNDLES.map((bundle) => result.sizes.find((size) => size.bundle === bundle)?.kb ?? 0),
    })),
  ),
);
writeFileSync(
  join(out, 'lean-init.svg'),
  groupedBars(
    'Init with source maps, ratio to the Powertools peer of the same run (median of fresh processes)',
    '× peer',
    [...BUNDLES],
    runs.map(({ name, result }) => ({
      name,
      values: BUNDLES.map(
        (bundle) =>
          result.init.find((entry) => entry.bundle === bundle && entry.sourceMaps)?.ratioToPeer ?? 0,
      ),
    })),
  ),
);
console.log(`written ${join(out, 'lean-bundle.svg')} and lean-init.svg`);
