// Which database errors mean "unavailable, retry" (503) and which are the SQL's own (left as they are).
import { describe, expect, it } from 'vitest';
import { classifyDatabaseError } from './postgres-store.ts';
import { StoreUnavailableError } from './store.ts';

const serverError = (code: string) => Object.assign(new Error(`server said ${code}`), { severity: 'ERROR', code });

describe('classifyDatabaseError', () => {
  it.each([
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a server shutting down (57P01)', serverError('57P01')],
    ['a statement timeout (57014)', serverError('57014')],
    ['too many connections (53300)', serverError('53300')],
    ['a connection failure (08006)', serverError('08006')],
  ])('%s is unavailability', (_, error) => {
    const classified = classifyDatabaseError(error);
    expect(classified).toBeInstanceOf(StoreUnavailableError);
    expect((classified as Error).cause).toBe(error);
  });

  it.each([
    ['a check violation (23514)', serverError('23514')],
    ['a syntax error (42601)', serverError('42601')],
    ['a programming error', new TypeError('x is undefined')],
  ])('%s stays as it is', (_, error) => {
    expect(classifyDatabaseError(error)).toBe(error);
  });
});
