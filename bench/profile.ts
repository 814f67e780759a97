// Where the predict path spends its time: runs bench-server.ts under `node --cpu-prof`, loads it with
// autocannon, and sums the profile's self time by function and by package.
// Run: node --import tsx bench/profile.ts [noop|pglite|postgres] [json|png] [seconds] [connections]
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

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
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
  const db = store === 'postgres' ? await createTestDatabase() : undefined;
  try {
    const target = await startBenchServer(store as BenchStore, db, ['--cpu-prof', '--cpu-prof-dir', dir]);
    let load;
    try {
      await runLoad(target.url, body, 8, 1);
      load = await runLoad(target.url, body, Number(connections), Number(seconds));
    } finally {
      await target.stop();
    }
    const file = path.join(dir, await largestProfile(dir));
    const { totalMs, byFunction, byOwner } = summarize(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
    const share = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)}%`;
    console.log(`${store} ${bodyName} @${connections}: ${load.rps.toFixed(0)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms; profile ${file}\n`);
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
