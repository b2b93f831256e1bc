import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_STATE_DIR } from '../../local/services/constants.ts';

/** Writes a test's figures where a person (and the closing note) can read them after the run. */
function writeReport(name: string, figures: Record<string, unknown>): void {
  const dir = join(LOCAL_STATE_DIR, 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
  process.stderr.write(`[${name}] ${JSON.stringify(figures)}\n`);
}

export { writeReport };
