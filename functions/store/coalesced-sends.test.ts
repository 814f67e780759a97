// Sends joined per microtask, against a real WebSocket server: the bytes arrive whole and in order.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { coalescingSends } from './coalesced-sends.ts';

const Coalescing = coalescingSends(WebSocket);
let server: WebSocketServer | undefined;

/** A server that records every message it receives; resolves with a connected client. */
async function connect() {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const received: number[][] = [];
  const closed = new Promise<void>((resolve) =>
    server!.on('connection', (socket) => {
      socket.on('message', (data: Buffer) => received.push([...data]));
      socket.on('close', () => resolve());
    }),
  );
  const client = new Coalescing(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await once(client, 'open');
  const until = async (n: number) => {
    while (received.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return { client, received, closed, until };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe('coalescingSends', () => {
  it('sends what is written in one turn as one message, in order, and later writes as the next', async () => {
    const { client, received, until } = await connect();
    client.send(Uint8Array.of(1, 2));
    client.send(Uint8Array.of(3));
    client.send(Uint8Array.of(4, 5, 6));
    await until(1);
    client.send(Uint8Array.of(7));
    await until(2);
    expect(received).toEqual([[1, 2, 3, 4, 5, 6], [7]]);
    client.close();
  });

  it('sends what is pending before it closes', async () => {
    const { client, received, closed } = await connect();
    client.send(Uint8Array.of(9, 8));
    client.close();
    await closed;
    expect(received).toEqual([[9, 8]]);
  });

  it('keeps the class a WebSocket', () => {
    expect(Coalescing.prototype).toBeInstanceOf(WebSocket);
  });
});
