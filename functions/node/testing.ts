// Helpers for tests that need the real server or the real PostgreSQL: a websockify in front of
// PostgreSQL, a throwaway PostgreSQL schema, and the real server (`npm start`'s entry) on a free port,
// both started through ../testing/processes.ts. Used by the tests of every part and by the benchmarks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@neondatabase/serverless';
import ws from 'ws';
import { definedEnv, freePort, portAnswers, startProcess, type Env, type Exit, type Started } from '../testing/processes.ts';

const START_SCRIPT = fileURLToPath(new URL('./start.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const POSTGRES_HOST = process.env.TEST_POSTGRES_HOST ?? '127.0.0.1';
export const POSTGRES_PORT = Number(process.env.TEST_POSTGRES_PORT ?? 5432);
/** The test database (trust authentication, see .ci/run). */
export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? `postgresql://postgres@${POSTGRES_HOST}:${POSTGRES_PORT}/test`;

/** True when PostgreSQL listens; under CI its absence is an error, never a reason to skip. */
export async function postgresAvailable(): Promise<boolean> {
  const up = await portAnswers(POSTGRES_PORT, POSTGRES_HOST);
  if (!up && process.env.CI) throw new Error(`CI is set but PostgreSQL at ${POSTGRES_HOST}:${POSTGRES_PORT} does not answer`);
  return up;
}

export interface Websockify {
  /** `127.0.0.1:PORT`, the value for DATABASE_WS_PROXY. */
  proxy: string;
  port: number;
  /** Sends `signal` (SIGTERM by default), SIGKILL after 3 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts /usr/bin/websockify in front of PostgreSQL (or `target`) on `port` (by default a free one).
 * With `group`, stop() reaches the per-connection children it forks too, so open connections drop.
 */
export async function startWebsockify(options: { port?: number; target?: string; bin?: string; group?: boolean } = {}): Promise<Websockify> {
  const port = options.port ?? (await freePort());
  const target = options.target ?? `${POSTGRES_HOST}:${POSTGRES_PORT}`;
  const bin = options.bin ?? process.env.WEBSOCKIFY ?? '/usr/bin/websockify';
  const child = await startProcess(bin, [`127.0.0.1:${port}`, target], {
    cwd: REPO_ROOT,
    env: process.env,
    stdout: 'ignore',
    graceMs: 3000,
    group: options.group,
    what: `websockify on port ${port}`,
    ready: () => portAnswers(port),
    timeoutMs: 10_000,
    everyMs: 50,
  });
  return { proxy: `127.0.0.1:${port}`, port, stop: async (signal) => void (await child.stop(signal)) };
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
  /** Milliseconds from the spawn to the first time `ready` held. */
  readyAfterMs: number;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/**
 * Runs the real server (functions/node/start.mjs, what `npm start` runs) on a free port and resolves
 * once `ready(url)` holds (by default: GET /api/ready answers 200). Without DATABASE_URL in `env` it
 * gets a temporary DATA_DIR (removed on stop). `env` is added to this process's environment; a value
 * of undefined removes a name.
 */
export async function startServer(
  options: { env?: Env; ready?: (url: string) => Promise<boolean>; timeoutMs?: number; everyMs?: number } = {},
): Promise<TestServer> {
  const port = await freePort();
  // An inherited DATABASE_URL would point the server at some other database.
  // No trainer beside a test's server (npm start runs one where PyTorch is importable): tests that want one run it.
  const env = definedEnv(process.env, { DATABASE_URL: undefined, PORT: String(port), TRAINER: 'off' }, options.env ?? {});
  let tempDir: string | undefined;
  if (!env.DATABASE_URL && !env.DATA_DIR) env.DATA_DIR = tempDir = await mkdtemp(path.join(tmpdir(), 'digit-data-'));
  const removeTempDir = async () => {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const ready = options.ready ?? (async (u: string) => (await fetch(`${u}/api/ready`)).status === 200);
  let server: Started;
  try {
    server = await startProcess(process.execPath, [START_SCRIPT], {
      cwd: REPO_ROOT,
      env,
      what: 'server',
      ready: () => ready(url),
      timeoutMs: options.timeoutMs ?? 60_000,
      everyMs: options.everyMs,
    });
  } catch (error) {
    await removeTempDir();
    throw error;
  }
  const stop = async (signal?: NodeJS.Signals) => {
    const exit = await server.stop(signal);
    await removeTempDir();
    return exit;
  };
  return { url, port, pid: server.pid, readyAfterMs: server.readyAfterMs, output: server.output, stop };
}
