import { vi } from 'vitest';

/**
 * Captures what Powertools writes: INFO and EMF go to stdout, WARN and ERROR to stderr.
 *
 * @example
 * ```ts
 * const output = captureOutput();
 * try { await handler(event, context); } finally { output.restore(); }
 * ```
 */
function captureOutput(): { lines: () => string[]; restore: () => void } {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  return {
    lines: () => chunks.join('').split('\n').filter(Boolean),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

export { captureOutput };
