// A websockify on a fixed port that a test can kill and start again: to the app behind it, the
// database disappears and comes back, while the machine's PostgreSQL (shared by other tests) keeps running.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { POSTGRES_HOST, POSTGRES_PORT } from '../node/testing.ts';
import { portAnswers, waitUntil } from '../testing/processes.ts';

export interface KillableProxy {
  proxy: string;
  /** Kills websockify and every per-connection child it forked: open connections drop at once. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export async function killableProxy(port: number): Promise<KillableProxy> {
  let child: ChildProcess | undefined;
  const start = async () => {
    const bin = process.env.WEBSOCKIFY ?? '/usr/bin/websockify';
    // Its own process group, so kill() reaches the children that hold the open connections.
    const started = spawn(bin, [`127.0.0.1:${port}`, `${POSTGRES_HOST}:${POSTGRES_PORT}`], { stdio: 'ignore', detached: true });
    child = started;
    await waitUntil(() => portAnswers(port), `websockify on port ${port}`, {
      ended: () => (started.exitCode !== null ? `exited (${started.exitCode})` : null),
      timeoutMs: 10_000,
      everyMs: 50,
    });
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running?.pid || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    process.kill(-running.pid, 'SIGKILL');
    await exited;
  };
  await start();
  return { proxy: `127.0.0.1:${port}`, kill, start };
}
