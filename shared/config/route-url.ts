import { refined, url } from './field-kinds.ts';

/**
 * A route's webhook URL: http(s), and without `user:password@`, which fetch refuses (repeating the
 * whole URL, credentials included, in its error) and which would otherwise end up in logs. Both the
 * stack's settings and the functions' environment use it, so a bad route fails at synth or cold
 * start, never per record.
 *
 * @example
 * ```ts
 * RouteUrlRule.schema.parse('https://orders.example.com/hooks/events');
 * ```
 */
const RouteUrlRule = refined(
  url(/^https?$/),
  (text) => {
    // zod runs this even when the URL check above failed: an unparseable URL is that check's issue.
    const parsed = URL.parse(text);
    return parsed === null || (parsed.username === '' && parsed.password === '');
  },
  'must not carry credentials (user:password@): send them in a header the processor adds, not in the URL',
);

export { RouteUrlRule };
