// PORT, read alike by the Node server (node/server.ts) and `npm run dev:edge` (worker/dev.mjs). Plain
// JavaScript, because dev.mjs runs before any TypeScript loader.

export const DEFAULT_PORT = 8787;

/** PORT as a port number (0 lets the system pick one), DEFAULT_PORT when unset; anything else throws, naming it. */
export function portFromEnv(value) {
  const port = Number(value ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${value}`);
  return port;
}
