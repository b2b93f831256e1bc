import { describe, expect, it } from 'vitest';
import { eventTypes } from '#shared/events/index.ts';
import { ValidationError } from '#shared/pipeline/errors.ts';
import { validateEvent } from '#shared/pipeline/validate.ts';
import { orderPlaced } from '../../../fixtures/factories.ts';

function validationErrorOf(json: unknown): ValidationError {
  try {
    validateEvent(json, eventTypes);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('validateEvent', () => {
  it('returns the event with its data parsed by the type schema', () => {
    const event = validateEvent(orderPlaced('e-1'), eventTypes);
    expect(event.id).toBe('e-1');
    expect(event.type).toBe('order.placed');
    expect(event.data).toMatchObject({ orderId: 'o-e-1', total: 19.98 });
  });

  it('rejects an invalid envelope, naming the fields', () => {
    const error = validationErrorOf({ id: 'e-1', type: 'order.placed', data: {} });
    expect(error.message).toMatch(/^invalid envelope: specversion: .*; source: /);
    expect(error.permanent).toBe(true);
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual(['specversion', 'source']);
  });

  it('rejects an unknown type as permanent', () => {
    const error = validationErrorOf({ ...orderPlaced('e-1'), type: 'order.cancelled' });
    expect(error.message).toBe('unknown event type "order.cancelled"');
    expect(error.permanent).toBe(true);
  });

  it('does not treat Object.prototype members as event types', () => {
    expect(validationErrorOf({ ...orderPlaced('e-1'), type: 'constructor' }).message).toBe(
      'unknown event type "constructor"',
    );
  });

  it('rejects data that breaks the type schema, with paths under data', () => {
    const event = orderPlaced('e-1');
    const error = validationErrorOf({ ...event, data: { ...event.data, currency: 'euro', total: 5 } });
    expect(error.message).toMatch(/^data does not match order.placed: currency: /);
    expect(error.issues.map((issue) => issue.path.join('.'))).toContain('data.currency');
  });

  it('keeps at most 20 issues', () => {
    const items = Array.from({ length: 50 }, () => ({ sku: '', quantity: -1, unitPrice: -1 }));
    const error = validationErrorOf({ ...orderPlaced('e-1'), data: { ...orderPlaced('e-1').data, items } });
    expect(error.issues).toHaveLength(20);
    expect(error.message.length).toBeLessThanOrEqual(1_100);
  });
});
