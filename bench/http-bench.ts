// POST /api/predict over HTTP: each target started once, loaded with every body at every connection
// count in rounds (targets side by side within a round), its memory at rest and under load sampled.
import type { BenchStore } from './bench-server.ts';
import type { Body } from './bodies.ts';
import { postOnce, runLoad, type LoadResult } from './http-load.ts';
import { rssKiB, sampleMax } from './processes.ts';
import { say } from './progress.ts';
import { median } from './stats.ts';
import type { Target } from './targets.ts';

export const CONNECTIONS = [1, 8, 64] as const;
export type TargetName = BenchStore | 'workerd' | 'peer';

export interface HttpRow {
  target: TargetName;
  body: Body['name'];
  connections: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
  rounds: LoadResult[];
}

export interface MemoryRow {
  target: TargetName;
  restKiB?: number;
  underLoadKiB?: number;
}

export interface HttpPlan {
  name: TargetName;
  start: () => Promise<Target>;
  bodies: Body[];
}

export async function benchHttp(plans: HttpPlan[], seconds: number, rounds: number, connectionCounts: readonly number[] = CONNECTIONS) {
  const started: { plan: HttpPlan; target?: Target; error?: string }[] = [];
  const memory: MemoryRow[] = [];
  const results = new Map<string, LoadResult[]>();
  try {
    for (const plan of plans) {
      try {
        say(`starting ${plan.name}`);
        const target = await plan.start();
        started.push({ plan, target });
        // At rest: started, and one prediction answered (the readiness check).
        memory.push({ target: plan.name, restKiB: target.rssKiB?.() ?? rssKiB(target.pid) });
      } catch (error) {
        say(`${plan.name} could not start: ${(error as Error).message.slice(0, 500)}`);
        started.push({ plan, error: (error as Error).message.slice(0, 500) });
      }
    }
    for (let round = 1; round <= rounds; round++) {
      for (const { plan, target } of started) {
        if (!target) continue;
        // Warm-up before each round, not counted: JIT, the connection pool, the first pages of the table,
        // and pages the kernel may have reclaimed while the target sat idle (this machine runs DAMON's
        // pageout, and an idle server's first requests stalled on it).
        for (const body of plan.bodies) await runLoad(target.url, body, 8, 1);
        for (const body of plan.bodies) {
          for (const connections of connectionCounts) {
            const rss = sampleMax(() => target.rssKiB?.() ?? rssKiB(target.pid));
            const r = await runLoad(target.url, body, connections, seconds);
            // autocannon stops with up to `connections` requests still queued in the server; a server
            // slower than the load (workerd here) would start the next run on that backlog.
            await postOnce(target.url, body);
            const peak = rss.stop();
            const m = memory.find((x) => x.target === plan.name)!;
            if (peak !== undefined) m.underLoadKiB = Math.max(m.underLoadKiB ?? 0, peak);
            const key = `${plan.name}/${body.name}/${connections}`;
            results.set(key, [...(results.get(key) ?? []), r]);
            say(`round ${round} ${key}: ${r.rps.toFixed(0)} req/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms${r.failures ? ` FAILURES ${r.failures}` : ''}`);
          }
        }
      }
    }
  } finally {
    for (const { target } of started) await target?.stop();
  }
  const rows: HttpRow[] = [];
  for (const { plan, target } of started) {
    if (!target) continue;
    for (const body of plan.bodies) {
      for (const connections of connectionCounts) {
        const rs = results.get(`${plan.name}/${body.name}/${connections}`) ?? [];
        rows.push({
          target: plan.name,
          body: body.name,
          connections,
          rps: median(rs.map((r) => r.rps)),
          p50Ms: median(rs.map((r) => r.p50Ms)),
          p99Ms: median(rs.map((r) => r.p99Ms)),
          failures: rs.reduce((a, r) => a + r.failures, 0),
          rounds: rs,
        });
      }
    }
  }
  const gaps = started.filter((s) => s.error).map((s) => ({ target: s.plan.name, error: s.error! }));
  return { rows, memory, gaps };
}

export type HttpResults = Awaited<ReturnType<typeof benchHttp>>;
