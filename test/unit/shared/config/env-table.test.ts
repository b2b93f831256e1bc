import { describe, expect, it, vi } from 'vitest';
import { EnvCodec, loadFromEnvironment } from '#shared/config/env-table.ts';
import { integer, objectOf } from '#shared/config/field-kinds.ts';

const TABLE = { attempts: ['ATTEMPTS', EnvCodec.NUMBER] } as const;

describe('loadFromEnvironment', () => {
  it('reads a valid environment without building the schema, and builds it only to word a failure', () => {
    // Prepare
    const rule = objectOf({ attempts: integer(1, 10, 5) });
    const built = vi.spyOn(rule, 'schema', 'get');
    // Act / Assess
    expect(loadFromEnvironment(rule, TABLE, { ATTEMPTS: '7' })).toEqual({ attempts: 7 });
    expect(loadFromEnvironment(rule, TABLE, {})).toEqual({ attempts: 5 });
    expect(built).not.toHaveBeenCalled();
    expect(() => loadFromEnvironment(rule, TABLE, { ATTEMPTS: '0' })).toThrow(
      'invalid configuration: ATTEMPTS: Too small: expected number to be >=1',
    );
    expect(built).toHaveBeenCalled();
  });
});
