// Where the predict path spends its time: runs bench-server.ts under `node --cpu-prof`, loads it with
// autocannon, and sums the profile's self time by part of the request (milliseconds a request), by
// package and by function.
// Run: node --import tsx bench/profile.ts [noop|pglite|postgres|postgres-tcp] [json|png] [seconds] [connections]
// The .cpuprofile is kept (path printed) for Chrome DevTools or speedscope.
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestDatabase } from '../functions/node/testing.ts';
import type { BenchStore } from './bench-server.ts';
import { predictBodies } from './bodies.ts';
import { runLoad } from './http-load.ts';
import { markdownTable } from './table.ts';
import { startBenchServer } from './targets.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }[];
  /** Microseconds on the monotonic clock (process.hrtime's), like each sample's time. */
  startTime?: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The parts of a request, each known by a frame on the stack: a sample counts for the part of its
 * innermost frame that names one (zod called by Hono is the route's work, a socket write under `ws` the
 * database's). Checked in this order.
 */
export const PARTS: [string, (f: CallFrame) => boolean][] = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  // With inference threads, what the event loop spends is handing the pixels over (functions/node/inference-pool.ts).
  ['inference (ONNX Runtime Web, or handing it to its threads)', (f) => /onnxruntime-web|\/functions\/node\/inference-pool/.test(f.url) || f.url.startsWith('wasm://')],
  ['database driver (Neon, ws)', (f) => /@neondatabase|node_modules\/ws\//.test(f.url)],
  ['store (batcher, SQL)', (f) => f.url.includes('/functions/store/')],
  ['body read as a Request (undici)', (f) => f.url.includes('undici')],
  ['JSON, zod, input contract, route', (f) => /zod|\/model\/(input-contract|ink-from-image|near-empty-rule|fit-and-centre)\.|\/functions\/routes\/|\/functions\/http\/(validate|body-limit)/.test(f.url)],
  ['request log line', (f) => f.functionName === 'consoleCall'],
  ['Hono and the middleware', (f) => /node_modules\/hono\/|\/functions\/app\.ts|\/functions\/http\//.test(f.url)],
  ['HTTP server and sockets (node:http, @hono/node-server)', (f) => /@hono\/node-server|node:_http|node:net|node:internal\/streams/.test(f.url)],
  ['start-up (loading modules)', (f) => /node:internal\/modules|tsx/.test(f.url)],
];

/**
 * Self milliseconds by part of the request (PARTS), largest first; 'other' for samples no frame names.
 * Samples before `fromUs` (the monotonic clock, in microseconds) are left out: the start-up's.
 */
export function byPart(profile: CpuProfile, fromUs = -Infinity): [string, number][] {
  const node = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ms = new Map<string, number>();
  let at = profile.startTime ?? 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs) return;
    let part = 'other';
    for (let frame: number | undefined = id; frame !== undefined; frame = parent.get(frame)) {
      const hit = PARTS.find(([, test]) => test(node.get(frame!)!.callFrame));
      if (hit) {
        part = hit[0];
        break;
      }
    }
    ms.set(part, (ms.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...ms].sort((a, b) => b[1] - a[1]);
}

/** Where a function lives: a package under node_modules, a file of this repository, or a runtime bucket. */
export function owner(url: string, functionName: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('wasm://')) return 'wasm (ORT kernels)';
  if (!url) return `(${functionName || 'native'})`;
  if (url.startsWith('node:')) return 'node internals';
  const repo = /\/(functions|model|bench)\/(.*)$/.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url;
}

/** Self milliseconds per function and per owner, largest first. */
export function summarize(profile: CpuProfile) {
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const who = owner(url, functionName);
    const fn = `${functionName || '(anonymous)'} ${who}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byOwner.set(who, (byOwner.get(who) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs: total, byFunction: sorted(byFunction), byOwner: sorted(byOwner) };
}

/** tsx's loader thread writes a profile too; the server's main thread is the busiest, largest one. */
async function largestProfile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  const sizes = await Promise.all(files.map(async (f) => (await stat(path.join(dir, f))).size));
  return files[sizes.indexOf(Math.max(...sizes))]!;
}

async function main() {
  const [store = 'postgres', bodyName = 'json', seconds = '10', connections = '64'] = process.argv.slice(2);
  const body = predictBodies().find((b) => b.name === bodyName);
  if (!body) throw new Error(`body must be json or png, got ${bodyName}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'digit-profile-'));
  const db = store.startsWith('postgres') ? await createTestDatabase() : undefined;
  try {
    const target = await startBenchServer(store as BenchStore, db, ['--cpu-prof', '--cpu-prof-dir', dir]);
    let load;
    let loadFromUs;
    try {
      await runLoad(target.url, body, 8, 1);
      loadFromUs = Number(process.hrtime.bigint() / 1000n);
      load = await runLoad(target.url, body, Number(connections), Number(seconds));
    } finally {
      await target.stop();
    }
    const file = path.join(dir, await largestProfile(dir));
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const { totalMs, byFunction, byOwner } = summarize(profile);
    const share = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)}%`;
    console.log(`${store} ${bodyName} @${connections}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms; profile ${file}\n`);
    // The load run alone (the start-up, the model's first run and the warm-up left out), per answered request.
    const requests = Math.round(load.rps * Number(seconds));
    const parts = byPart(profile, loadFromUs);
    const busyMs = parts.filter(([part]) => part !== 'idle').reduce((a, [, ms]) => a + ms, 0);
    console.log(markdownTable(['part, during the load', 'self ms', 'share of the busy time', `ms a request (${requests})`], parts.map(([part, ms]) => {
      const counted = part !== 'idle';
      return [part, ms.toFixed(0), counted ? `${((100 * ms) / busyMs).toFixed(1)}%` : '', counted ? (ms / requests).toFixed(3) : ''];
    })));
    console.log();
    console.log(markdownTable(['owner', 'self ms', 'share'], byOwner.slice(0, 20).map(([k, v]) => [k, v.toFixed(0), share(v)])));
    console.log();
    console.log(markdownTable(['function', 'self ms', 'share'], byFunction.slice(0, 30).map(([k, v]) => [k, v.toFixed(0), share(v)])));
  } finally {
    await db?.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
