// One load run with autocannon: `connections` keep-alive connections POSTing `body` for `seconds`.
import autocannon from 'autocannon';
import type { Body } from './bodies.ts';

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that were not 2xx, plus connection errors and timeouts: any of these spoils the run. */
  failures: number;
}

export async function runLoad(url: string, body: Body, connections: number, seconds: number): Promise<LoadResult> {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': body.contentType },
    body: body.bytes,
    connections,
    duration: seconds,
    timeout: 30,
  });
  return {
    // Successful answers per second over the whole run (autocannon's duration is in seconds).
    rps: r['2xx'] / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}

/** One request, read to the end; its status. */
export async function postOnce(url: string, body: Body): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': body.contentType }, body: new Uint8Array(body.bytes) });
  await res.arrayBuffer();
  return res.status;
}
