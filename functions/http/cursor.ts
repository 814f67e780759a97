// Opaque page cursors for GET /api/predictions: base64url of [createdAt, seq] of the last row served.
// The row's insertion number, never its id: a cursor is public, and an id lets its holder label the row.
import { z } from 'zod';
import type { HistoryKey } from '../store/store.ts';
import { fromBase64Url, toBase64Url } from './ids.ts';

/** PostgreSQL's bigint: a larger number would fail in the database rather than as a 400 here. */
const MAX_SEQ = 2n ** 63n - 1n;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const cursorSchema = z.tuple([
  z
    .string()
    .regex(TIMESTAMP)
    // Rejects impossible dates (2026-02-30) here rather than as a database error, and year 0000, which
    // JavaScript reads as 1 BC and PostgreSQL refuses (its calendar has no year 0).
    .refine((s) => !s.startsWith('0000') && !Number.isNaN(Date.parse(s)) && new Date(s).toISOString().slice(0, 19) === s.slice(0, 19)),
  z
    .string()
    .regex(/^[1-9]\d{0,18}$/)
    .refine((s) => BigInt(s) <= MAX_SEQ),
]);

export function encodeCursor(key: HistoryKey): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([key.createdAt, key.seq])));
}

/** The page key, or null when the text is not a cursor this API issued. */
export function decodeCursor(cursor: string): HistoryKey | null {
  try {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
    const parsed = cursorSchema.safeParse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(cursor))));
    return parsed.success ? { createdAt: parsed.data[0], seq: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
