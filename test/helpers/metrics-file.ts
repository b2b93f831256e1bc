import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway EMF file, so that tests never add to the metrics `eventpipe stats` reports. */
function testMetricsFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'eventpipe-emf-')), 'emf.jsonl');
}

export { testMetricsFile };
