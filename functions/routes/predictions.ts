// GET /api/predictions?limit=N&cursor=C: the prediction history, newest first, in keyset pages. Public,
// so neither its items nor its cursor carry a prediction's id (see http/prediction-json.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../deps.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { toHistoryItemJson } from '../http/prediction-json.ts';
import { validate } from '../http/validate.ts';

export const MAX_LIMIT = 100;

export const listQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.int().min(1).max(MAX_LIMIT))
    .default(20),
  cursor: z
    .string()
    .transform((text, ctx) => decodeCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'Unknown cursor' }), z.NEVER))
    .optional(),
});

export function predictionsRoute() {
  return new Hono<AppEnv>().get('/', validate('query', listQuerySchema, 'invalid-query'), async (c) => {
    const { limit, cursor } = c.req.valid('query');
    // One row more than asked tells whether another page exists.
    const rows = await c.var.store.listPredictions(limit + 1, cursor ?? null);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json({
      items: page.map(toHistoryItemJson),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    });
  });
}
