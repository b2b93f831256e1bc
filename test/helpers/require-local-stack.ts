import { FIX, probeLocalStack } from './probe-local-stack.ts';

/**
 * Vitest global setup for tests that need the real local stack: fails the run — never skips it —
 * when Kafka or the SQS server does not answer, and says how to start them.
 */
export default async function requireLocalStack(): Promise<void> {
  const problems = await probeLocalStack();
  if (problems.length > 0) throw new Error(`${problems.join('; ')}: ${FIX}`);
}
