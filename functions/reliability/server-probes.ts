// What the hostile-request tests watch a running server with: /api/health polled meanwhile, raw
// HTTP/1.1 connections whose every byte and close is seen, and waiting for a condition.
import { Socket } from 'node:net';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls /api/health one request after another until stopped; reports the slowest answer. */
export function pollHealth(url: string) {
  let running = true;
  let slowest = 0;
  let failures = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      slowest = Math.max(slowest, performance.now() - started);
      if (!ok) failures++;
      await sleep(50);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { slowest, failures };
    },
  };
}

/** A raw HTTP/1.1 connection: what was written, and everything the server sent back until it closed. */
export function rawConnection(port: number) {
  const socket = new Socket();
  let received = '';
  let closedAt: number | null = null;
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => {});
  socket.on('close', () => (closedAt = performance.now()));
  const connected = new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
  return {
    connected,
    socket,
    received: () => received,
    closedAt: () => closedAt,
    write: (data: string | Uint8Array) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.write(data, () => resolve()))),
  };
}

/** Waits until `check` holds, at most `ms`. */
export async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!check() && performance.now() < deadline) await sleep(20);
  return check();
}
