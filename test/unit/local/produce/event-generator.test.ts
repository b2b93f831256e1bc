import { describe, expect, it } from 'vitest';
import { eventTypes } from '#shared/events/index.ts';
import { decodeValue } from '#shared/pipeline/decode.ts';
import { validateEvent } from '#shared/pipeline/validate.ts';
import { generateEvent, idInRawValue } from '../../../../local/produce/event-generator.ts';

const options = { runId: 'r', keyCardinality: 10, payloadBytes: 512, invalidShare: 0.01 };
const decode = (value: string) => decodeValue({ value: Buffer.from(value).toString('base64') });

describe('generateEvent', () => {
  it('makes valid events of the three types, keyed and sized as asked', () => {
    for (let i = 0; i < 30; i++) {
      const event = generateEvent(i, options);
      if (event.expectedStage) continue;
      const valid = validateEvent(decode(event.value), eventTypes);
      expect(valid.id).toBe(`r-${i}`);
      expect(valid.subject).toBe(`customer-${i % 10}`);
      expect(Math.abs(event.value.length - 512)).toBeLessThan(20);
    }
  });

  it('makes the asked share of invalid events, each rejected at the stage it announces', () => {
    const invalid = Array.from({ length: 1_000 }, (_, i) => generateEvent(i, options)).filter(
      (e) => e.expectedStage,
    );
    expect(invalid).toHaveLength(10);
    for (const event of invalid) {
      const stage = (() => {
        try {
          validateEvent(decode(event.value), eventTypes);
          return 'none';
        } catch (error) {
          return (error as { stage: string }).stage;
        }
      })();
      expect(stage).toBe(event.expectedStage);
      expect(idInRawValue(Buffer.from(event.value).toString('base64'))).toBe(event.id);
    }
  });
});
