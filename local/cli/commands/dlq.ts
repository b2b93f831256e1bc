import type { Command } from 'commander';
import { groupDeadLetters, peekDeadLetters, releaseLetters } from '../../dlq/dead-letter-reader.ts';
import { CliError } from '../errors.ts';
import { localContext, numberOption } from './_shared.ts';

/** `eventpipe dlq list|show`: what is dead-lettered, and why. */
function register(program: Command): void {
  const dlq = program.command('dlq').description('inspect the dead-letter queue (messages stay in it)');
  dlq
    .command('list')
    .description('dead letters grouped by stage and error')
    .option('--max <n>', 'read at most this many', numberOption('max', 1, 100_000), 10_000)
    .action(async (options: { max: number }) => {
      const { sqs, queues } = await localContext();
      const letters = await peekDeadLetters(sqs, queues.dlqUrl, options.max);
      try {
        if (letters.length === 0) {
          console.log('the dead-letter queue is empty');
          return;
        }
        console.log(`${letters.length} dead letters in ${queues.dlqUrl}\n`);
        console.log(
          `${'count'.padStart(6)}  ${'stage'.padEnd(9)}  ${'error'.padEnd(22)}  event types / example`,
        );
        for (const group of groupDeadLetters(letters)) {
          const types = [...group.eventTypes].map(([type, n]) => `${type} ×${n}`).join(', ');
          console.log(
            `${String(group.count).padStart(6)}  ${group.stage.padEnd(9)}  ${group.errorName.padEnd(22)}  ${types}`,
          );
          console.log(
            `${''.padStart(6)}  ${''.padEnd(9)}  ${''.padEnd(22)}  e.g. ${group.sampleMessage.slice(0, 100)}`,
          );
        }
      } finally {
        await releaseLetters(sqs, queues.dlqUrl, letters);
        sqs.destroy();
      }
    });
  dlq
    .command('show <id>')
    .description(
      'one dead letter in full, by event id, SQS message id or Kafka offset (topic-partition@offset)',
    )
    .action(async (id: string) => {
      const { sqs, queues } = await localContext();
      const letters = await peekDeadLetters(sqs, queues.dlqUrl, 100_000);
      try {
        const found = letters.find(({ message, letter }) => {
          const source = letter?.source;
          const coordinates = source ? `${source.topic}-${source.partition}@${source.offset}` : '';
          return message.MessageId === id || letter?.event?.id === id || coordinates === id;
        });
        if (!found) throw new CliError(`no dead letter with id ${id} (try \`eventpipe dlq list\`)`);
        console.log(
          JSON.stringify(
            { messageId: found.message.MessageId, ...(found.letter ?? { body: found.message.Body }) },
            null,
            2,
          ),
        );
      } finally {
        await releaseLetters(sqs, queues.dlqUrl, letters);
        sqs.destroy();
      }
    });
}

export { register };
