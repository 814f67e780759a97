// `npm run bench`: inference alone (WASM against native), POST /api/predict over HTTP (logging to
// PostgreSQL, to PGlite, off; a bare Hono endpoint as the ceiling; the Worker in workerd), cold starts,
// memory and sizes. Prints markdown tables (report.ts) and writes bench/results.json. Needs PostgreSQL
// at 127.0.0.1:5432 and websockify, like the tests. The command line is read by options.ts.
// The native reference (onnxruntime-node) is optional: `npm run bench:native` installs it.
// `peer` loads the app beside bench/peer/server.py (FastAPI + PyTorch).
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase, postgresAvailable } from '../functions/node/testing.ts';
import { predictBodies } from './bodies.ts';
import { benchColdStarts } from './cold-start.ts';
import { benchHttp, CONNECTIONS, type HttpPlan } from './http-bench.ts';
import { benchInference } from './inference.ts';
import { benchOptions } from './options.ts';
import { PEER_CONNECTIONS, peerPlans } from './peer-compare.ts';
import { say } from './progress.ts';
import { report } from './report.ts';
import { frontendSizes, modelSize, workerSizes, type Sizes } from './sizes.ts';
import { targetsMet } from './targets-met.ts';
import { REPO_ROOT, startBenchServer, startWorkerd } from './targets.ts';
import { benchWorkerApp } from './worker-app.ts';

const MODEL_DIR = path.join(REPO_ROOT, 'model');

function machine() {
  const cpus = os.cpus();
  return { nproc: os.availableParallelism(), cpu: cpus[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}`, memGiB: Math.round(os.totalmem() / 2 ** 30) };
}

async function main() {
  const { seconds, rounds, only, withWorkerd, out: file } = benchOptions();
  const startedAt = new Date();
  const results: Record<string, unknown> = { machine: machine(), startedAt: startedAt.toISOString(), loadAverageAtStart: os.loadavg(), settings: { seconds, rounds, connections: CONNECTIONS, sections: [...only], workerd: withWorkerd } };

  const needDb = only.has('http') || only.has('peer') || only.has('cold');
  if (needDb && !(await postgresAvailable())) throw new Error('PostgreSQL does not answer at 127.0.0.1:5432: the bench logs to it (see README, Quick start)');
  const pg = needDb ? await createTestDatabase() : undefined;
  const edge = needDb && withWorkerd ? await createTestDatabase() : undefined;
  try {
    if (only.has('inference')) {
      say('inference...');
      const { rows, served, nativeMissing } = await benchInference({ modelDir: MODEL_DIR, rounds, msPerMeasure: 1000 });
      results.inference = rows;
      results.servedModel = served;
      if (nativeMissing) results.nativeMissing = nativeMissing;
    }
    if (only.has('http')) {
      const [json] = predictBodies();
      const plans: HttpPlan[] = [
        { name: 'ceiling', start: () => startBenchServer('ceiling'), bodies: [json!] },
        ...(['noop', 'pglite', 'postgres'] as const).map((name) => ({ name, start: () => startBenchServer(name, pg), bodies: predictBodies() })),
        // The JSON body with inserts as they were before being batched (functions/store/batcher.ts).
        { name: 'postgres-unbatched', start: () => startBenchServer('postgres-unbatched', pg), bodies: [json!] },
        ...(edge ? [{ name: 'workerd' as const, start: () => startWorkerd(edge), bodies: predictBodies() }] : []),
      ];
      results.http = await benchHttp(plans, seconds, rounds);
      if (!edge) (results.http as { gaps: unknown[] }).gaps.push({ target: 'workerd', error: 'functions/worker/dev.mjs (npm run dev:edge) is missing, or --no-workerd' });
    }
    if (only.has('peer')) {
      say('beside the FastAPI peer...');
      results.peer = await benchHttp(peerPlans(pg!), seconds, rounds, PEER_CONNECTIONS);
    }
    if (only.has('worker-app')) {
      say('worker app...');
      results.workerApp = await benchWorkerApp({ modelDir: MODEL_DIR });
    }
    if (only.has('cold')) {
      say('cold starts...');
      results.coldStart = await benchColdStarts(rounds, pg, edge);
    }
    if (only.has('sizes')) {
      say('sizes...');
      results.sizes = { frontend: await frontendSizes(REPO_ROOT), worker: withWorkerd ? await workerSizes() : { error: 'no Worker' }, model: await modelSize(MODEL_DIR) } satisfies Sizes;
    }
  } finally {
    await pg?.drop();
    await edge?.drop();
  }
  results.targets = targetsMet(results);
  results.loadAverageAtEnd = os.loadavg();
  results.durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  const m = results.machine as ReturnType<typeof machine>;
  const load = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  console.log(`${m.nproc} x ${m.cpu}, Node ${m.node}; load average ${load(results.loadAverageAtStart as number[])} at start, ${load(os.loadavg())} at end; ${results.durationS} s\n`);
  console.log(report(results));
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
