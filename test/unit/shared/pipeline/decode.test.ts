import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coordinatesOf, decodeHeaders, decodeValue } from '#shared/pipeline/decode.ts';
import { DecodeError, RecordTooLargeError } from '#shared/pipeline/errors.ts';
import { kafkaRecord } from '../../../fixtures/factories.ts';

const b64 = (bytes: string | Uint8Array) => Buffer.from(bytes).toString('base64');

describe('decodeValue', () => {
  it('decodes base64 JSON', () => {
    expect(decodeValue({ value: b64('{"a":[1,2]}') })).toEqual({ a: [1, 2] });
  });

  it.each([
    ['a tombstone', { value: null }, /tombstone/],
    ['invalid base64', { value: 'not*base64!' }, /value is not valid base64/],
    ['base64 with a bad length', { value: 'abc' }, /value is not valid base64/],
    ['bytes that are not UTF-8', { value: b64(new Uint8Array([0xff, 0xfe])) }, /not valid UTF-8/],
    ['truncated JSON', { value: b64('{"id": ') }, /^value is not valid JSON( at position \d+)? \(7 bytes\)$/],
  ])('rejects %s with a permanent DecodeError', (_, record, message) => {
    // Act
    const act = () => decodeValue(record);
    // Assess
    expect(act).toThrow(DecodeError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (error) {
      expect((error as DecodeError).permanent).toBe(true);
      expect((error as DecodeError).stage).toBe('decode');
    }
  });

  it('rejects a value over the size limit before decoding it, saying both sizes', () => {
    const value = b64(`{"note":"${'x'.repeat(2_000)}"}`);
    expect(() => decodeValue({ value }, 1_024)).toThrow(RecordTooLargeError);
    expect(() => decodeValue({ value }, 1_024)).toThrow(
      /^value is 2,01\d bytes, over the 1,024-byte limit \(maxRecordBytes\)$/,
    );
    expect(decodeValue({ value }, 4_096)).toEqual({ note: 'x'.repeat(2_000) });
  });

  it('never quotes the payload in its error message', () => {
    expect(() => decodeValue({ value: b64('{"card":"4111111111111111"') })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('4111') }),
    );
  });

  it('keeps __proto__ keys as plain data, polluting nothing', () => {
    const value = decodeValue({ value: b64('{"__proto__":{"polluted":true}}') }) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
  });
});

describe('coordinatesOf', () => {
  it('reads the key and headers as text', () => {
    const record = kafkaRecord({
      offset: 7,
      key: 'customer-1',
      value: {},
      headers: { traceparent: '00-abc' },
    });
    expect(coordinatesOf(record)).toEqual({
      topic: 'orders',
      partition: 0,
      offset: 7,
      timestamp: record.timestamp,
      timestampType: 'CREATE_TIME',
      key: 'customer-1',
      keyBase64: b64('customer-1'),
      headers: { traceparent: '00-abc' },
    });
  });

  it('keeps binary keys and header values instead of crashing on them', () => {
    const record = {
      ...kafkaRecord({ offset: 1, value: {} }),
      key: b64(new Uint8Array([0, 0x9f])),
      headers: [{ bin: [0xff, 0x00] }],
    };
    const coordinates = coordinatesOf(record);
    expect(coordinates.key).toBeNull();
    expect(coordinates.keyBase64).toBe(b64(new Uint8Array([0, 0x9f])));
    expect(coordinates.headers).toEqual({ bin: `base64:${b64(new Uint8Array([0xff, 0]))}` });
  });

  // AWS sends header values as signed Java bytes (aws-lambda-go events/testdata/kafka-event.json,
  // aws-lambda-rust-runtime `Vec<i8>`); older emulators sent unsigned. Both are the same bytes.
  it.each([
    ['signed', [90, -61, -68, 114, 105, 99, 104]],
    ['unsigned', [90, 195, 188, 114, 105, 99, 104]],
  ])('reads %s UTF-8 header bytes as the same text', (_, bytes) => {
    const record = { ...kafkaRecord({ offset: 1, value: {} }), headers: [{ city: bytes }] };
    expect(coordinatesOf(record).headers).toEqual({ city: 'Zürich' });
  });

  it('reads signed binary header bytes as the bytes they stand for', () => {
    // The aws-lambda-go fixture's header value.
    const record = {
      ...kafkaRecord({ offset: 1, value: {} }),
      headers: [{ headerKey: [118, -36, 0, 127, -128] }],
    };
    expect(coordinatesOf(record).headers).toEqual({
      headerKey: `base64:${b64(new Uint8Array([118, 0xdc, 0, 127, 0x80]))}`,
    });
  });

  it('treats an absent key as null', () => {
    const coordinates = coordinatesOf(kafkaRecord({ offset: 1, value: {} }));
    expect(coordinates.key).toBeNull();
    expect(coordinates.keyBase64).toBeNull();
  });
});

describe('strict UTF-8 (buffer.isUtf8 + toString)', () => {
  const reference = new TextDecoder('utf-8', { fatal: true });
  const viaTextDecoder = (bytes: Uint8Array) => {
    try {
      return reference.decode(bytes);
    } catch {
      return undefined;
    }
  };
  const viaHeaders = (bytes: Uint8Array) => {
    const text = decodeHeaders([{ h: [...bytes] }]).h;
    return text?.startsWith('base64:') ? undefined : text;
  };

  it('accepts and refuses exactly what a fatal TextDecoder does, and reads the same text', () => {
    // Prepare: arbitrary bytes, and valid text with a BOM, surrogates' encodings and overlongs mixed in.
    const tricky = fc.constantFrom(
      [0xef, 0xbb, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98, 0x80],
    );
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: 'binary' }).map((text) => new Uint8Array(Buffer.from(text))),
      fc
        .array(fc.oneof(tricky, fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 })))
        .map((parts) => new Uint8Array(parts.flat())),
    );
    fc.assert(
      fc.property(bytes, (value) => {
        // Act and assess
        expect(viaHeaders(value)).toBe(viaTextDecoder(value));
      }),
      { numRuns: 3_000 },
    );
  });

  it('drops a leading byte order mark, as TextDecoder does', () => {
    expect(decodeValue({ value: b64(new Uint8Array([0xef, 0xbb, 0xbf, 0x31])) })).toBe(1);
  });
});
