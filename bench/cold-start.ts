// Cold start to first prediction: from spawning the process until POST /api/predict first answers 200.
// Node: functions/node/start.mjs (what `npm start` runs) on PGlite in a fresh DATA_DIR, or on PostgreSQL.
// workerd: `npm run dev:edge` (wrangler's build, workerd's start, the isolate's first request).
import { startServer } from '../functions/node/testing.ts';
import { startEdgeDev } from '../functions/worker/testing.ts';
import { say } from './progress.ts';
import { median } from './stats.ts';
import { predicts, type Database } from './targets.ts';

/** Milliseconds from spawn to the first 200 from /api/predict (polled every 10 ms). */
export async function nodeColdStart(db?: Database): Promise<number> {
  const server = await startServer({
    env: { DATABASE_URL: db?.databaseUrl, DATABASE_WS_PROXY: db?.wsProxy },
    ready: (url) => predicts(`${url}/api/predict`),
    everyMs: 10,
    timeoutMs: 90_000,
  });
  await server.stop();
  return server.readyAfterMs;
}

export async function workerdColdStart(db: Database): Promise<number> {
  const dev = await startEdgeDev({ DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy }, (url) => predicts(`${url}/api/predict`));
  await dev.stop();
  return dev.answeredAfterMs;
}

export interface ColdStartRow {
  target: string;
  ms: number;
  runs: number[];
}

/** Median cold starts over rounds: Node on PGlite, and on PostgreSQL (`pg`) and workerd (`edge`) where given. */
export async function benchColdStarts(rounds: number, pg: Database | undefined, edge: Database | undefined): Promise<ColdStartRow[]> {
  // One start first, not counted: it builds frontend/dist if missing and fills the OS file cache.
  await nodeColdStart();
  const runs: Record<string, number[]> = { 'node-pglite': [], 'node-postgres': [], workerd: [] };
  for (let i = 0; i < rounds; i++) {
    runs['node-pglite']!.push(await nodeColdStart());
    if (pg) runs['node-postgres']!.push(await nodeColdStart(pg));
    if (edge) runs.workerd!.push(await workerdColdStart(edge));
    say(`cold start round ${i + 1}: ${Object.entries(runs).map(([k, v]) => `${k} ${v.at(-1)?.toFixed(0) ?? '-'} ms`).join(', ')}`);
  }
  return Object.entries(runs)
    .filter(([, v]) => v.length)
    .map(([target, v]) => ({ target, ms: median(v), runs: v }));
}
