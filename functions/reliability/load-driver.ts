// A bounded load generator for the reliability tests: `connections` keep-alive connections, each
// sending predictions back to back until `total` are sent, `durationMs` passes, or `stop()` is called.
// Every answer is recorded (status, id, Retry-After, latency) so a test can count errors and look up
// each acknowledged id in the database afterwards.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadRecord {
  startedAt: number;
  endedAt: number;
  status: number | null;
  /** The prediction id of a 200 answer. */
  id?: string;
  retryAfter?: string | null;
  /** A connection-level failure (ECONNREFUSED, ECONNRESET, timeout). */
  error?: string;
}

export interface LoadOptions {
  url: string;
  body: string;
  connections: number;
  total?: number;
  durationMs?: number;
  /** A request that takes longer than this counts as a hang (error "timeout"). */
  requestTimeoutMs?: number;
}

export interface LoadRun {
  done: Promise<LoadRecord[]>;
  records: LoadRecord[];
  stop(): void;
}

export function startLoad(options: LoadOptions): LoadRun {
  const { connections, total = Infinity, durationMs = 120_000, requestTimeoutMs = 15_000 } = options;
  const target = new URL('/api/predict', options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const records: LoadRecord[] = [];
  const deadline = Date.now() + durationMs;
  let sent = 0;
  let stopped = false;

  const once = () =>
    new Promise<LoadRecord>((resolve) => {
      const record: LoadRecord = { startedAt: performance.now(), endedAt: 0, status: null };
      const finish = (patch: Partial<LoadRecord>) => {
        if (record.endedAt) return;
        Object.assign(record, patch, { endedAt: performance.now() });
        resolve(record);
      };
      const req = http.request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => finish({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
          res.on('end', () => {
            const patch: Partial<LoadRecord> = { status: res.statusCode ?? null, retryAfter: res.headers['retry-after'] ?? null };
            if (res.statusCode === 200) patch.id = (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id;
            finish(patch);
          });
        },
      );
      req.setTimeout(requestTimeoutMs, () => {
        finish({ error: 'timeout' });
        req.destroy();
      });
      req.on('error', (e) => finish({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
      req.end(options.body);
    });

  const worker = async () => {
    while (!stopped && sent < total && Date.now() < deadline) {
      sent++;
      const record = await once();
      records.push(record);
      // A refused connection (server gone) would otherwise spin.
      if (record.error) await sleep(20);
    }
  };
  const done = Promise.all(Array.from({ length: connections }, worker)).then(() => {
    agent.destroy();
    return records;
  });
  return { done, records, stop: () => void (stopped = true) };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const latency = (r: LoadRecord) => r.endedAt - r.startedAt;
