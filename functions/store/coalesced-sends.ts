// Joins the WebSocket messages a connection sends in one run of the microtask queue into one message.
// Neon's driver sends every message of PostgreSQL's extended protocol (Parse, Bind, Describe, Execute,
// Sync) as a WebSocket message of its own, so one query is five frames for the driver to mask and
// write, five writes on the socket, and five reads for the proxy to unmask and relay. A WebSocket proxy
// relays bytes, so where the frames end carries no meaning and one frame does the same. Neon's own
// `coalesceWrites` joins them too, but behind a timer that adds a millisecond or more to every query.

interface WebSocketLike {
  send(data: Uint8Array): void;
  close(...args: unknown[]): void;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** `WebSocket` with its sends joined; a mixin, so the class keeps its constructor and type. */
// A mixin's constructor must take `any[]`.
export function coalescingSends<C extends new (...args: any[]) => WebSocketLike>(WebSocket: C): C {
  return class extends WebSocket {
    #pending: Uint8Array[] = [];

    #flush() {
      const parts = this.#pending;
      if (!parts.length) return;
      this.#pending = [];
      super.send(parts.length === 1 ? parts[0]! : concat(parts));
    }

    override send(data: Uint8Array) {
      if (this.#pending.push(data) > 1) return;
      queueMicrotask(() => {
        try {
          this.#flush();
        } catch {
          // A send refused by the socket ends the connection, as it would have failed the driver's write:
          // the query then fails at once instead of waiting for its timeout.
          this.close();
        }
      });
    }

    override close(...args: unknown[]) {
      // What was sent before closing still goes first (the driver's Terminate message).
      try {
        this.#flush();
      } finally {
        super.close(...args);
      }
    }
  };
}
