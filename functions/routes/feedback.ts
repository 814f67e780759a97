// POST /api/predictions/:id/feedback: the true digit for a prediction; a later answer replaces an earlier one.
import { Hono } from 'hono';
import { z } from 'zod';
import { DEFAULT_LIMITS, type AppDeps, type AppEnv } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { limitBody } from '../http/body-limit.ts';
import { ID_PATTERN } from '../http/ids.ts';
import { toPredictionJson } from '../http/prediction-json.ts';
import { requireJson } from '../http/require-json.ts';
import { parseOrThrow, readJson, validate } from '../http/validate.ts';

export const feedbackSchema = z.object({ trueLabel: z.int().min(0).max(9) });

export function feedbackRoute(deps: AppDeps) {
  return new Hono<AppEnv>().post(
    '/:id/feedback',
    // An id that cannot exist is just an unknown id.
    validate('param', z.object({ id: z.string().regex(ID_PATTERN) }), 'not-found', 404),
    requireJson,
    limitBody(deps.limits?.jsonBytes ?? DEFAULT_LIMITS.jsonBytes),
    async (c) => {
      const { id } = c.req.valid('param');
      const { trueLabel } = parseOrThrow(feedbackSchema, await readJson(c), 'invalid-label');
      const row = await c.var.store.setTrueLabel(id, trueLabel);
      if (!row) throw new ApiError(404, 'not-found', `No prediction with id ${id}`);
      return c.json(toPredictionJson(row));
    },
  );
}
