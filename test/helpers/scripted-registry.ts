import { eventTypes } from '#shared/events/index.ts';
import type { EventRegistry } from '#shared/events/registry.ts';
import { PermanentError, TransientError } from '#shared/pipeline/errors.ts';
import type { Processor } from '#shared/pipeline/ports.ts';

type Behaviour = 'ok' | 'transient' | 'permanent';

/**
 * The product's event types with one processor whose answer per event id the test scripts:
 * the downstream is what a test varies, the pipeline around it is the real one.
 */
function scriptedRegistry() {
  const behaviour = new Map<string, Behaviour>();
  const calls: string[] = [];
  const processor: Processor = async (event) => {
    calls.push(event.id);
    const answer = behaviour.get(event.id) ?? behaviour.get('*') ?? 'ok';
    if (answer === 'transient') throw new TransientError(`downstream unavailable for ${event.id}`);
    if (answer === 'permanent') throw new PermanentError(`downstream rejected ${event.id}`);
  };
  const registry: EventRegistry = Object.fromEntries(
    Object.entries(eventTypes).map(([type, definition]) => [type, { ...definition, process: processor }]),
  );
  return { registry, behaviour, calls };
}

export { scriptedRegistry };
