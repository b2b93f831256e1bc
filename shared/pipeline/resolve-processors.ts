import type { ValidEvent } from '../events/envelope.ts';
import type { EventRegistry } from '../events/registry.ts';
import type { Processor } from './types.ts';

/**
 * Builds the `event → processor` lookup once, at cold start: a configured route wins, else the
 * type's own `process`. Every registered type must have one, and every route must name a
 * registered type; otherwise this throws listing them all, so a deployment with a gap fails
 * before it consumes anything.
 *
 * @param makeRouteProcessor - builds the processor for a route URL (the HTTP webhook processor)
 * @example
 * ```ts
 * const processorFor = resolveProcessors(eventTypes, config.routes, (url) => httpProcessor(url, opts));
 * ```
 */
function resolveProcessors(
  registry: EventRegistry,
  routes: Readonly<Record<string, string>>,
  makeRouteProcessor: (url: string) => Processor,
): (event: ValidEvent) => Processor {
  const processors = new Map<string, Processor>();
  const problems: string[] = [];
  for (const type of Object.keys(routes)) {
    if (!Object.hasOwn(registry, type)) problems.push(`route for unknown event type "${type}"`);
  }
  for (const [type, definition] of Object.entries(registry)) {
    const url = routes[type];
    const processor = url ? makeRouteProcessor(url) : (definition.process as Processor | undefined);
    if (processor) processors.set(type, processor);
    else problems.push(`event type "${type}" has neither a route (EVENTPIPE_ROUTES) nor a processor`);
  }
  if (problems.length > 0) throw new Error(`invalid processor configuration: ${problems.join('; ')}`);
  return (event) => {
    const processor = processors.get(event.type);
    // validateEvent only lets registered types through, and each has a processor.
    if (!processor) throw new Error(`no processor for ${event.type}`);
    return processor;
  };
}

export { resolveProcessors };
