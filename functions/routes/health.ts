// GET /api/health (the process answers) and GET /api/ready (the model is loaded and the database answers).
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../deps.ts';
import type { Store } from '../store/store.ts';

const DATABASE_TIMEOUT_MS = 3000;

async function databaseAnswers(store: Store): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), DATABASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([store.ping(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: Pick<AppDeps, 'models'>) {
  return new Hono<AppEnv>()
    .get('/health', (c) => c.json({ status: 'ok' }))
    .get('/ready', async (c) => {
      const model = deps.models.current()?.model ?? null;
      const database = await databaseAnswers(c.var.store);
      if (model && database) return c.json({ status: 'ready', model });
      const missing = [model ? null : 'the model is not loaded', database ? null : 'the database does not answer'];
      return c.json(
        {
          status: 'not-ready',
          checks: { model: model !== null, database },
          error: { code: 'not-ready', message: missing.filter(Boolean).join('; ') },
        },
        503,
      );
    });
}
