import { afterEach } from 'vitest';
import { FIX, probeLocalStack } from './probe-local-stack.ts';

// A test that fails because a service went away mid-run would otherwise report only a client
// error ("createTopics failed 4 times"). After a failure, ask the services and say which one is
// gone and what to run.
// (Destructured: vitest reads a hook's first parameter for the fixtures it needs, and refuses a
// plain name once a test uses `test.extend`, as the e2e scenarios do.)
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  const problems = await probeLocalStack();
  if (problems.length > 0)
    throw new Error(`the local stack stopped answering during this test: ${problems.join('; ')}: ${FIX}`);
});
