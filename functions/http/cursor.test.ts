import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { toBase64Url } from './ids.ts';

const key = { createdAt: '2026-11-23T19:35:40.123456Z', seq: '9223372036854775807' };
const encode = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

describe('page cursors', () => {
  it('round-trip a page key with microseconds', () => {
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it('accept the ends of the 4-digit years PostgreSQL stores', () => {
    for (const createdAt of ['0001-01-01T00:00:00.000000Z', '9999-12-31T23:59:59.999999Z']) {
      expect(decodeCursor(encodeCursor({ ...key, createdAt }))).toEqual({ ...key, createdAt });
    }
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%'],
    ['not JSON', toBase64Url(new TextEncoder().encode('nope'))],
    ['wrong shape', encode({ createdAt: key.createdAt, seq: key.seq })],
    ['a number, not a string', encode([key.createdAt, 12])],
    ['a prediction id (cursors of before, which named the row by its id)', encode([key.createdAt, 'AbCdEfGhIjKlMnOpQrSt_-'])],
    ['zero', encode([key.createdAt, '0'])],
    ['a leading zero', encode([key.createdAt, '012'])],
    ['beyond bigint', encode([key.createdAt, '9223372036854775808'])],
    ['impossible date', encode(['2026-02-30T00:00:00.000000Z', key.seq])],
    ['date without microseconds', encode(['2026-11-23T19:35:40.123Z', key.seq])],
    ['year 0000, outside PostgreSQL\'s calendar', encode(['0000-01-01T00:00:00.000000Z', key.seq])],
  ])('rejects %s', (_, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
