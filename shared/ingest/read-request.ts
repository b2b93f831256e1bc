import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseJson, strictUtf8 } from '../pipeline/decode.ts';
import { DecodeError } from '../pipeline/errors.ts';
import { MalformedRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import type { IngestSettings } from './types.ts';

/**
 * The media types of the CloudEvents HTTP binding's structured and batched modes.
 * https://github.com/cloudevents/spec/blob/main/cloudevents/bindings/http-protocol-binding.md
 * (3.2 structured content mode, 3.3 batched content mode)
 */
const MediaType = {
  EVENT: 'application/cloudevents+json',
  BATCH: 'application/cloudevents-batch+json',
} as const;

/** A request's events, each with its JSON bytes (produced as they came, never re-encoded for one event). */
interface RequestEvents {
  readonly batch: boolean;
  readonly events: readonly { readonly json: unknown; readonly bytes: Buffer }[];
}

/**
 * Reads the events of a `POST /events` request: the content type picks the mode, the body is
 * decoded (base64 when API Gateway says so), measured, and parsed as strict UTF-8 JSON.
 *
 * Plain `application/json` is refused (415): in the HTTP binding it means binary mode, where the
 * body is the event's `data` and the attributes travel as `ce-*` headers; reading it as a whole
 * event would misread such a request. Binary mode is not supported.
 *
 * @param event - the API Gateway payload 2.0 event
 * @param limits - the size limits
 * @throws UnsupportedMediaTypeError, PayloadTooLargeError, MalformedRequestError
 * @example
 * ```ts
 * const { batch, events } = readRequestEvents(event, settings);
 * ```
 */
function readRequestEvents(
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'body' | 'isBase64Encoded'>,
  limits: Pick<IngestSettings, 'maxBodyBytes' | 'maxBatchEvents'>,
): RequestEvents {
  const batch = mediaTypeOf(event.headers) === MediaType.BATCH;
  const bytes = bodyBytes(event, limits.maxBodyBytes);
  let text: string;
  try {
    text = strictUtf8(bytes);
  } catch (error) {
    throw new MalformedRequestError('the body is not valid UTF-8', { cause: error });
  }
  const json = parseBody(text, bytes.length);
  if (!batch) return { batch, events: [{ json, bytes }] };
  if (!Array.isArray(json)) {
    throw new MalformedRequestError(`a ${MediaType.BATCH} body is a JSON array of events`);
  }
  if (json.length === 0) throw new MalformedRequestError('the batch is empty');
  if (json.length > limits.maxBatchEvents) {
    throw new PayloadTooLargeError(
      `the batch has ${json.length} events, over the limit of ${limits.maxBatchEvents} (maxBatchEvents)`,
    );
  }
  return {
    batch,
    events: json.map((item: unknown) => ({ json: item, bytes: Buffer.from(JSON.stringify(item) ?? '') })),
  };
}

/** The media type, lower case without parameters; anything but the two CloudEvents JSON types is refused. */
function mediaTypeOf(headers: APIGatewayProxyEventV2['headers']): string {
  // Payload 2.0 lower-cases header names; a hand-built event may not.
  const value = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const [type = '', ...parameters] = (value ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (type !== MediaType.EVENT && type !== MediaType.BATCH) {
    throw new UnsupportedMediaTypeError(
      `content-type must be ${MediaType.EVENT} (one event) or ${MediaType.BATCH} (a JSON array of events)${type ? `, not ${type.slice(0, 100)}` : ''}`,
    );
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  if (charset !== undefined && charset.replaceAll('"', '') !== 'utf-8') {
    throw new UnsupportedMediaTypeError('the body must be UTF-8 (charset=utf-8)');
  }
  return type;
}

/** The body's bytes, the size checked before a base64 body is decoded. */
function bodyBytes(
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>,
  maxBytes: number,
): Buffer {
  const body = event.body ?? '';
  const size = event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
  if (size > maxBytes) {
    throw new PayloadTooLargeError(`the body is ${size} bytes, over the limit of ${maxBytes} (maxBodyBytes)`);
  }
  if (size === 0) throw new MalformedRequestError('the body is empty');
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

function parseBody(text: string, byteLength: number): unknown {
  try {
    return parseJson(text, byteLength, 'the body');
  } catch (error) {
    throw error instanceof DecodeError ? new MalformedRequestError(error.message, { cause: error }) : error;
  }
}

export type { RequestEvents };
export { MediaType, readRequestEvents };
