// Every process the tests and the benchmarks start (the server, websockify, `npm run dev:edge`, the
// bench servers) is spawned, awaited and stopped here: its output kept, readiness polled until a
// check holds or the process dies, and a stop that escalates to SIGKILL after a grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type Env = Record<string, string | undefined>;

/**
 * The layers merged left to right, without the names whose value is undefined: a later undefined
 * removes a name an earlier layer set (an inherited DATABASE_URL, say).
 */
export function definedEnv(...layers: Env[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(Object.assign({}, ...layers) as Env)) if (value !== undefined) env[name] = value;
  return env;
}

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
    await sleep(opts.everyMs ?? 100);
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  child: ChildProcess;
  /** What the process printed (stdout unless ignored, and stderr), at most `keepChars` of it, the latest. */
  output(): string;
  /** Why the process is gone ('exited (CODE or SIGNAL)', 'could not be run (…)'), or null while it runs. */
  ended(): string | null;
  /** Sends `signal` (SIGTERM by default), SIGKILL after the grace period; resolves with how it ended. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** 'ignore' sends stdout to /dev/null: a server's request log under load is costly to collect. */
  stdout?: 'keep' | 'ignore';
  /** How much of the output to keep (the latest); all of it by default. */
  keepChars?: number;
  /** How long stop() waits after its signal before SIGKILL. */
  graceMs?: number;
  /** Runs it in a process group of its own, which stop() signals whole: children that it forked too. */
  group?: boolean;
}

/** For a server under load: its request log dropped, the latest 20,000 characters of the rest kept. */
export const UNDER_LOAD = { stdout: 'ignore', keepChars: 20_000 } as const satisfies Partial<SpawnOptions>;

export function spawnProcess(command: string, args: string[], options: SpawnOptions): Spawned {
  const { keepChars = Infinity, graceMs = 10_000 } = options;
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', options.stdout === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
    detached: options.group,
  });
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (output.length > keepChars) output = output.slice(-keepChars);
  };
  child.stdout?.on('data', keep);
  child.stderr!.on('data', keep);
  let endReason: string | null = null;
  // A process that could not be spawned reports 'error' and maybe no 'exit'.
  const exited = new Promise<Exit>((resolve) => {
    child.once('error', (e) => {
      endReason ??= `could not be run (${e.message})`;
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      endReason ??= `exited (${code ?? signal})`;
      resolve({ code, signal });
    });
  });
  const kill = (signal: NodeJS.Signals) => {
    if (!options.group) return void child.kill(signal);
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (endReason) return exited;
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    kill(signal);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return { child, output: () => output, ended: () => endReason, stop };
}

export interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end without blocking this process, so that its own sockets stay serviced
 * (spawnSync would leave a keep-alive connection idle long enough for the server to close it).
 */
export function runToEnd(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  const child = spawn(command, args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => {
    child.once('error', (e) => resolve({ status: null, stdout, stderr: `${stderr}\n${e.message}` }));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface Started extends Spawned {
  pid: number;
  /** Milliseconds from the spawn to the first time `ready` held. */
  readyAfterMs: number;
}

/**
 * Spawns the process and resolves once `ready` holds, polled every `everyMs`; if it exits first or
 * `timeoutMs` passes, stops it and fails with `what`, the reason and the end of its output.
 */
export async function startProcess(
  command: string,
  args: string[],
  options: SpawnOptions & { what: string; ready: () => Promise<boolean>; timeoutMs?: number; everyMs?: number },
): Promise<Started> {
  const started = performance.now();
  const spawned = spawnProcess(command, args, options);
  // Only a process that is running can be ready ('error' comes instead when it cannot be run).
  await new Promise((resolve) => {
    spawned.child.once('spawn', resolve);
    spawned.child.once('error', resolve);
  });
  try {
    await waitUntil(options.ready, options.what, { ended: spawned.ended, timeoutMs: options.timeoutMs, everyMs: options.everyMs });
  } catch (error) {
    const ended = spawned.ended();
    await spawned.stop();
    const why = ended ? `${options.what} ${ended} before it was ready` : (error as Error).message;
    throw new Error(`${why}:\n${spawned.output().slice(-3000)}`);
  }
  return { ...spawned, pid: spawned.child.pid!, readyAfterMs: performance.now() - started };
}
