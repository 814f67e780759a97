// A websockify on a fixed port that a test can kill and start again: to the app behind it, the
// database disappears and comes back, while the machine's PostgreSQL (shared by other tests) keeps running.
import { startWebsockify, type Websockify } from '../node/testing.ts';

export interface KillableProxy {
  proxy: string;
  /** Kills websockify and every per-connection child it forked: open connections drop at once. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export async function killableProxy(port: number): Promise<KillableProxy> {
  let running: Websockify | undefined;
  const start = async () => {
    running = await startWebsockify({ port, group: true });
  };
  const kill = async () => {
    const proxy = running;
    running = undefined;
    await proxy?.stop('SIGKILL');
  };
  await start();
  return { proxy: `127.0.0.1:${port}`, kill, start };
}
