// Cold start of the Worker in workerd: `npm run dev:edge` started -> first 200 from POST /api/predict
// (wrangler's build, workerd's start, the isolate loading ORT's wasm and the model, the first database
// connection and the schema); and of that, the first request the fresh isolate served. Prints each run
// and the medians as JSON.
// Run: node --import tsx functions/worker/cold-start.ts [runs]   (needs PostgreSQL at 127.0.0.1:5432)
import { createTestDatabase } from '../node/testing.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { startEdgeDev } from './testing.ts';

const runs = Number(process.argv[2] ?? 3);
const body = JSON.stringify({ pixels: sevenPixels() });
const predict = (url: string) =>
  fetch(`${url}/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const results: { firstPredictMs: number; firstRequestMs: number; warmPredictMs: number }[] = [];
for (let i = 0; i < runs; i++) {
  const db = await createTestDatabase();
  try {
    // The first request that reaches the Worker runs in a fresh isolate: how long that one took.
    let firstRequestMs = 0;
    const dev = await startEdgeDev({ DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy }, async (url) => {
      const t = performance.now();
      const ok = (await predict(url)).status === 200;
      firstRequestMs = performance.now() - t;
      return ok;
    });
    const t = performance.now();
    const warm = await predict(dev.url);
    const warmPredictMs = performance.now() - t;
    await dev.stop();
    if (warm.status !== 200) throw new Error(`warm predict: ${warm.status}`);
    const run = {
      firstPredictMs: Math.round(dev.answeredAfterMs),
      firstRequestMs: Math.round(firstRequestMs),
      warmPredictMs: Math.round(warmPredictMs),
    };
    results.push(run);
    console.error(`run ${i + 1}: ${JSON.stringify(run)}`);
  } finally {
    await db.drop();
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify({
    runs: results,
    medianFirstPredictMs: median(results.map((r) => r.firstPredictMs)),
    medianFirstRequestMs: median(results.map((r) => r.firstRequestMs)),
    medianWarmPredictMs: median(results.map((r) => r.warmPredictMs)),
  }),
);
