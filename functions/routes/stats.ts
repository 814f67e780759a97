// GET /api/stats: counts, accuracy on labeled predictions, per-digit precision/recall, confusion matrix.
import { Hono } from 'hono';
import type { AppEnv } from '../deps.ts';
import { summarizeStats } from '../stats/summarize-stats.ts';

export function statsRoute() {
  return new Hono<AppEnv>().get('/', async (c) => c.json(summarizeStats(await c.var.store.stats())));
}
