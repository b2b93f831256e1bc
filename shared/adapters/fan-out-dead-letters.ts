import type { DeadLetter } from '../pipeline/messages.ts';
import type { DeadLetterQueue } from '../pipeline/types.ts';

/**
 * Sends every dead letter to each target (DLQ target `both`): acknowledged only when all targets
 * acknowledged, so a dead letter is never committed past while missing from one of them.
 *
 * @example
 * ```ts
 * const deadLetters = fanOutDeadLetters([sqsDlq, kafkaDlqTopic]);
 * ```
 */
function fanOutDeadLetters(targets: readonly DeadLetterQueue[]): DeadLetterQueue {
  return {
    async send(letters: readonly DeadLetter[]): Promise<void> {
      await Promise.all(targets.map((target) => target.send(letters)));
    },
  };
}

export { fanOutDeadLetters };
