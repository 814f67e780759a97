// Smoke test of the benchmark harness (the benchmarks are `npm run bench`, not part of the tests):
// the modules load, one short measurement of each kind works, and the summaries are sane.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOnnxClassifier } from '../functions/inference/onnx-classifier.ts';
import { loadStoredModelFromDir } from '../functions/node/model-files.ts';
import { nodeOrtWasm } from '../functions/node/ort-wasm.ts';
import { createTestDatabase, postgresAvailable, withClient } from '../functions/node/testing.ts';
import { predictBodies } from './bodies.ts';
import { runLoad } from './http-load.ts';
import { libpqUrl, peerTargets, startPeer } from './peer-compare.ts';
import { benchInference, loadNative, MATMUL, NATIVE_MISSING } from './inference.ts';
import { matmulModel } from './matmul-model.ts';
import { rssKiB } from './processes.ts';
import { byPart, owner, summarize } from './profile.ts';
import { median } from './stats.ts';
import { markdownTable } from './table.ts';
import { benchWorkerApp, workerAppReport } from './worker-app.ts';
import { benchWranglerConfig, BENCH_WRANGLER_CONFIG, REPO_ROOT, startBenchServer, withoutRateLimits } from './targets.ts';

// The peer logs to PostgreSQL; without it the peer's test is skipped (under CI its absence is an error).
const withPostgres = await postgresAvailable();

describe('benchmark harness', () => {
  // The native reference is optional (`npm run bench:native`): timed where installed, reported missing where not.
  const native = loadNative();
  const nativeRuntimes = 'runtime' in native ? [native.runtime] : [];

  it('times WASM inference on the served model, and native inference where onnxruntime-node is installed', async () => {
    const { rows, served, nativeMissing } = await benchInference({ modelDir: `${REPO_ROOT}model`, rounds: 1, msPerMeasure: 20 });
    const current = JSON.parse(readFileSync(`${REPO_ROOT}model/current.json`, 'utf8'));
    expect(served).toBe(`${current.name}-v${current.version}`);
    // Every other version in the folder runs in WASM beside it.
    const others = readdirSync(`${REPO_ROOT}model`).filter((f) => f.endsWith('.card.json')).sort()
      .map((f) => f.replace(/\.card\.json$/, '')).filter((label) => label !== served);
    expect(others.length).toBeGreaterThan(0);
    const wasm = [`${served}/wasm/1`, `${served}/wasm/64`, `${served}/wasm-classifier/1`, ...others.flatMap((o) => [`${o}/wasm/1`, `${o}/wasm/64`])];
    const nativeRows = [`${served}/native-1-thread/1`, `${served}/native-1-thread/64`, `${served}/native-default-threads/1`, `${served}/native-default-threads/64`];
    const expected = nativeRuntimes.length
      ? [...wasm, ...nativeRows, `${MATMUL}/wasm/1`, `${MATMUL}/native-1-thread/1`]
      : [...wasm, `${MATMUL}/wasm/1`];
    expect(rows.map((r) => `${r.model}/${r.runtime}/${r.batch}`)).toEqual(expected);
    expect(nativeMissing).toBe(nativeRuntimes.length ? undefined : NATIVE_MISSING);
    for (const r of rows) expect(r.msPerRun).toBeGreaterThan(0);
    for (const r of rows.filter((r) => r.model === MATMUL)) expect(r.gmacPerS).toBeGreaterThan(0);
  });

  it('writes a MatMul model every installed runtime loads and computes right', async () => {
    const n = 3;
    const a = Float32Array.from({ length: n * n }, (_, i) => i + 1);
    const identity = Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 2 : 0));
    for (const ort of [await import('onnxruntime-web/wasm'), ...nativeRuntimes]) {
      const session = await ort.InferenceSession.create(matmulModel(n));
      const { c } = await session.run({ a: new ort.Tensor('float32', a, [n, n]), b: new ort.Tensor('float32', identity, [n, n]) });
      expect(Array.from(c!.data as Float32Array)).toEqual(Array.from(a, (v) => 2 * v));
      expect(c!.dims).toEqual([n, n]);
      await session.release();
    }
  });

  it("times the Worker's app built for one request against one built once", async () => {
    const r = await benchWorkerApp({ modelDir: `${REPO_ROOT}model`, iterations: 10 });
    for (const ms of [r.buildMs, r.firstRequestMs, r.reusedRequestMs]) expect(ms).toBeGreaterThan(0);
    expect(r.savedMs).toBeCloseTo(r.buildMs + r.firstRequestMs - r.reusedRequestMs, 9);
    expect(workerAppReport(r)).toContain('saved per request');
  });

  it('loads POST /api/predict (logging off) with autocannon and reads the server memory', async () => {
    const server = await startBenchServer('noop');
    try {
      for (const body of predictBodies()) {
        const result = await runLoad(server.url, body, 2, 1);
        expect(result.failures).toBe(0);
        expect(result.rps).toBeGreaterThan(1);
      }
      expect(rssKiB(server.pid)).toBeGreaterThan(10_000);
    } finally {
      await server.stop();
    }
  });

  it.skipIf(!withPostgres)('runs the FastAPI peer on the served model: same answer as the app, row committed before the 200', async () => {
    const db = await createTestDatabase();
    try {
      const peer = await startPeer(db, 1);
      try {
        const [json] = predictBodies();
        const res = await fetch(peer.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(json!.bytes) });
        expect(res.status).toBe(200);
        const answer = (await res.json()) as { id: string; digit: number; probabilities: number[]; isDigit: boolean; model: { version: string } };
        const file = await loadStoredModelFromDir(`${REPO_ROOT}model`);
        const app = await createOnnxClassifier(file.bytes, file, await nodeOrtWasm());
        const expected = await app.classify(Float32Array.from(JSON.parse(json!.bytes.toString()).pixels as number[]));
        await app.release();
        expect(answer).toMatchObject({ digit: expected.digit, isDigit: expected.isDigit, model: { name: file.name, version: file.version } });
        // The peer runs the float weights in PyTorch; an int8 version (its card's quantization) rounds them,
        // which moved v3's probabilities by 1e-4 at the median and 0.045 at most (MNIST test, select writers).
        const tolerance = 'quantization' in file.card ? 0.05 : 1e-4;
        console.log(`peer against the app: largest probability difference ${Math.max(...answer.probabilities.map((p, d) => Math.abs(p - expected.probabilities[d]!))).toExponential(2)}`);
        answer.probabilities.forEach((p, d) => expect(Math.abs(p - expected.probabilities[d]!)).toBeLessThanOrEqual(tolerance));
        const rows = await withClient(db.databaseUrl, db.wsProxy, (c) => c.query('SELECT predicted_digit, source, length(input) AS bytes FROM predictions WHERE id = $1', [answer.id]));
        expect(rows.rows).toEqual([{ predicted_digit: expected.digit, source: 'canvas', bytes: 784 }]);
      } finally {
        await peer.stop();
      }
    } finally {
      await db.drop();
    }
  }, 60_000);

  it('writes a libpq URL whose options keep their spaces, and judges the app against the peer', () => {
    expect(libpqUrl('postgresql://u@h:1/d?options=-c+search_path%3Dx')).toBe('postgresql://u@h:1/d?options=-c%20search_path%3Dx');
    const row = (target: string, connections: number, rps: number, p99Ms: number) => ({ target, body: 'json', connections, rps, p99Ms });
    const targets = peerTargets([row('postgres-tcp', 1, 500, 4), row('peer', 1, 200, 5), row('postgres-tcp', 64, 900, 90), row('peer', 64, 200, 80)]);
    expect(targets.map((t) => [t.name, t.met])).toEqual([
      ['predict json @1: app / FastAPI peer, req/s', true],
      ['predict json @1: app / FastAPI peer, p99', true],
      ['predict json @64: app / FastAPI peer, req/s', false],
      ['predict json @64: app / FastAPI peer, p99', false],
    ]);
  });

  it('summarises a CPU profile by function and package', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: 'run', url: 'file:///x/node_modules/onnxruntime-web/dist/ort.mjs', lineNumber: 0 } },
        { id: 2, callFrame: { functionName: 'handler', url: 'file:///x/functions/routes/predict.ts', lineNumber: 9 } },
      ],
      samples: [1, 1, 2],
      timeDeltas: [1000, 1000, 500],
    };
    const s = summarize(profile);
    expect(s.totalMs).toBe(2.5);
    expect(s.byOwner).toEqual([['onnxruntime-web', 2], ['functions/routes/predict.ts', 0.5]]);
    expect(owner('wasm://wasm/abc', 'wasm-function[1]')).toBe('wasm (ORT kernels)');
  });

  it('splits a CPU profile by part of the request, each sample by its innermost frame that names one', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('dispatch', 'file:///x/node_modules/hono/dist/compose.js'), children: [2, 3] },
        { id: 2, callFrame: frame('parse', 'file:///x/node_modules/zod/index.js') },
        { id: 3, callFrame: frame('query', 'file:///x/node_modules/@neondatabase/serverless/index.mjs'), children: [4] },
        { id: 4, callFrame: frame('writeBuffer', '') },
        { id: 5, callFrame: frame('(idle)', '') },
      ],
      samples: [1, 2, 4, 4, 5],
      timeDeltas: [1000, 2000, 3000, 1000, 500],
    };
    expect(byPart(profile)).toEqual([
      ['database driver (Neon, ws)', 4],
      ['JSON, zod, input contract, route', 2],
      ['Hono and the middleware', 1],
      ['idle', 0.5],
    ]);
  });

  it('drops only the rate-limit bindings from the Worker configuration', () => {
    const toml = 'name = "x"\n\n[[ratelimits]]\nname = "A"\nsimple = { limit = 1 }\n\n[[ratelimits]]\nname = "B"\n[observability]\nenabled = true\n';
    expect(withoutRateLimits(toml)).toBe('name = "x"\n\n[observability]\nenabled = true\n');
    expect(withoutRateLimits('a = 1\n[[ratelimits]]\nname = "A"\n')).toBe('a = 1\n');
  });

  it('copies wrangler.toml into an ignored folder with every path it names made absolute, and no rate limit', () => {
    expect(path.relative(REPO_ROOT, BENCH_WRANGLER_CONFIG)).toBe('.wrangler/bench/wrangler.toml');
    expect(spawnSync('git', ['check-ignore', '-q', BENCH_WRANGLER_CONFIG], { cwd: REPO_ROOT }).status).toBe(0);
    const copy = benchWranglerConfig(readFileSync(`${REPO_ROOT}wrangler.toml`, 'utf8'), REPO_ROOT);
    expect(copy).not.toMatch(/ratelimits/);
    const paths = [...copy.matchAll(/^(main|directory|watch_dir|cwd) = (.*)$/gm)].flatMap(([, key, value]) =>
      [...value!.matchAll(/"([^"]*)"/g)].map(([, p]) => [key, p]));
    expect([...new Set(paths.map(([key]) => key))].sort()).toEqual(['cwd', 'directory', 'main', 'watch_dir']);
    for (const [key, value] of paths) {
      expect(path.isAbsolute(value!), key).toBe(true);
      expect(value!.startsWith(REPO_ROOT.replace(/\/$/, '')), key).toBe(true);
    }
    expect(existsSync(paths.find(([key]) => key === 'main')![1]!)).toBe(true);
  });

  it('takes medians and prints aligned tables', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(markdownTable(['a', 'bb'], [[1, 'x']])).toBe('| a | bb |\n| - | -- |\n| 1 | x  |');
  });
});
