// Helpers for tests that need real processes: a websockify in front of PostgreSQL, a throwaway
// PostgreSQL schema, and the real server (`npm start`'s entry) on a free port. Used by this folder's
// tests and by the page's end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@neondatabase/serverless';
import ws from 'ws';

const START_SCRIPT = fileURLToPath(new URL('./start.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const POSTGRES_HOST = process.env.TEST_POSTGRES_HOST ?? '127.0.0.1';
export const POSTGRES_PORT = Number(process.env.TEST_POSTGRES_PORT ?? 5432);
/** The test database (trust authentication, see .ci/run). */
export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? `postgresql://postgres@${POSTGRES_HOST}:${POSTGRES_PORT}/test`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** True when PostgreSQL listens; under CI its absence is an error, never a reason to skip. */
export async function postgresAvailable(): Promise<boolean> {
  const up = await portAnswers(POSTGRES_PORT, POSTGRES_HOST);
  if (!up && process.env.CI) throw new Error(`CI is set but PostgreSQL at ${POSTGRES_HOST}:${POSTGRES_PORT} does not answer`);
  return up;
}

/**
 * Polls `check` (a rejection counts as not yet) every `everyMs` until it holds; fails with `what` and the
 * reason when `ended` reports that the awaited process is gone, or when `timeoutMs` has passed.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  opts: { ended?: () => string | null; timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const reason = opts.ended?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (await check().catch(() => false)) return;
    if (performance.now() > deadline) throw new Error(`${what}: timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 100));
  }
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 10_000) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig });
    });
    child.kill(signal);
  });
}

export interface Websockify {
  /** `127.0.0.1:PORT`, the value for DATABASE_WS_PROXY. */
  proxy: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts /usr/bin/websockify on a free port in front of PostgreSQL (or `target`). */
export async function startWebsockify(options: { target?: string; bin?: string } = {}): Promise<Websockify> {
  const port = await freePort();
  const target = options.target ?? `${POSTGRES_HOST}:${POSTGRES_PORT}`;
  const bin = options.bin ?? process.env.WEBSOCKIFY ?? '/usr/bin/websockify';
  const child = spawn(bin, [`127.0.0.1:${port}`, target], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let failure: string | null = null;
  child.once('error', (e) => (failure = `could not run ${bin}: ${e.message}`));
  child.once('exit', (code) => (failure ??= `websockify exited (${code}): ${stderr.slice(-500)}`));
  await waitUntil(() => portAnswers(port), 'websockify', { ended: () => failure, timeoutMs: 10_000 });
  return { proxy: `127.0.0.1:${port}`, port, stop: async () => void (await stopProcess(child, 'SIGTERM', 3000)) };
}

export interface TestDatabase {
  /** DATABASE_URL whose connections use a schema of their own (search_path). */
  databaseUrl: string;
  /** DATABASE_WS_PROXY for it. */
  wsProxy: string;
  schema: string;
  /** Drops the schema and stops the proxy. */
  drop(): Promise<void>;
}

/** Runs `fn` on a direct connection to `databaseUrl` through the WebSocket proxy, then closes it. */
export async function withClient<T>(databaseUrl: string, wsProxy: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(databaseUrl);
  client.neonConfig.webSocketConstructor = ws;
  client.neonConfig.wsProxy = () => wsProxy;
  client.neonConfig.useSecureWebSocket = false;
  client.neonConfig.pipelineConnect = false;
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty schema in the test database behind a fresh websockify: parallel test runs never
 * see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const proxy = await startWebsockify();
  const schema = `test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    await withClient(POSTGRES_URL, proxy.proxy, (c) => c.query(`CREATE SCHEMA ${schema}`));
  } catch (error) {
    await proxy.stop();
    throw error;
  }
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    databaseUrl: url.toString(),
    wsProxy: proxy.proxy,
    schema,
    async drop() {
      try {
        await withClient(POSTGRES_URL, proxy.proxy, (c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      } finally {
        await proxy.stop();
      }
    },
  };
}

export interface TestServer {
  url: string;
  port: number;
  /** The server's process id (start.mjs runs the server in its own process). */
  pid: number;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the real server (functions/node/start.mjs, what `npm start` runs) on a free port and resolves
 * once GET /api/ready answers 200. Without DATABASE_URL in `env` it gets a temporary DATA_DIR
 * (removed on stop). `env` is added to this process's environment; a value of undefined removes a name.
 */
export async function startServer(
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<TestServer> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), ...options.env };
  // An inherited DATABASE_URL would point the server at some other database.
  if (!options.env || !('DATABASE_URL' in options.env)) delete env.DATABASE_URL;
  let tempDir: string | undefined;
  if (!env.DATABASE_URL && !env.DATA_DIR) env.DATA_DIR = tempDir = await mkdtemp(path.join(tmpdir(), 'digit-data-'));
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];

  const child = spawn(process.execPath, [START_SCRIPT], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  let failure: string | null = null;
  child.once('exit', (code, sig) => (failure = `server exited (${code ?? sig}) before it was ready:\n${output.slice(-2000)}`));

  const url = `http://127.0.0.1:${port}`;
  const ready = async () => (await fetch(`${url}/api/ready`)).status === 200;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const result = await stopProcess(child, signal);
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    return result;
  };
  try {
    await waitUntil(ready, 'server', { ended: () => failure, timeoutMs: options.timeoutMs ?? 60_000 });
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
  return { url, port, pid: child.pid!, output: () => output, stop };
}
