// GET /api/stats: counts, accuracy on labeled predictions, per-digit precision/recall, confusion matrix.
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps.ts';
import { summarizeStats } from '../stats/summarize-stats.ts';

export function statsRoute(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', async (c) => c.json(summarizeStats(await deps.store.stats())));
}
