// Limits of the Node HTTP server for a public demo on a small machine: how long a client may take to
// send its headers and its whole request, how many connections are open at once, and an
// `Expect: 100-continue` over the body limit answered without asking for the body.
import type { Server, ServerOptions } from 'node:http';
import { bodyLimitFor } from '../http/body-limit.ts';
import type { BodyLimits } from '../deps.ts';

export interface HttpLimits {
  /** A request's headers must have arrived by then (HEADERS_TIMEOUT_SECONDS). */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived by then (REQUEST_TIMEOUT_SECONDS); 408 after. */
  requestTimeoutMs: number;
  /** Connections open at once (MAX_CONNECTIONS); more are closed as they arrive. */
  maxConnections: number;
}

/** A drawing uploads in well under a second; 10 MiB needs about 3 Mbit/s to arrive within 30 s. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 256 };

/** A whole number of at least 1 from the environment, or `fallback` when unset. */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got ${value}`);
  return n;
}

export function httpLimitsFromEnv(env: NodeJS.ProcessEnv): HttpLimits {
  const d = DEFAULT_HTTP_LIMITS;
  const limits = {
    headersTimeoutMs: positiveInt('HEADERS_TIMEOUT_SECONDS', env.HEADERS_TIMEOUT_SECONDS, d.headersTimeoutMs / 1000) * 1000,
    requestTimeoutMs: positiveInt('REQUEST_TIMEOUT_SECONDS', env.REQUEST_TIMEOUT_SECONDS, d.requestTimeoutMs / 1000) * 1000,
    maxConnections: positiveInt('MAX_CONNECTIONS', env.MAX_CONNECTIONS, d.maxConnections),
  };
  // Node requires it, and a request cannot finish before its headers have.
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return limits;
}

/** Options for http.createServer; Node checks the timeouts every 30 s by default, here every second. */
export const serverOptions = (limits: HttpLimits): ServerOptions => ({
  headersTimeout: limits.headersTimeoutMs,
  requestTimeout: limits.requestTimeoutMs,
  connectionsCheckingInterval: 1000,
});

/**
 * The connection cap, and `Expect: 100-continue`: a body within the limit for its Content-Type is asked
 * for; one declared over it is not, and the app answers 413 without reading it.
 */
export function applyHttpLimits(server: Server, limits: HttpLimits, bodyLimits: BodyLimits): void {
  server.maxConnections = limits.maxConnections;
  server.on('checkContinue', (req, res) => {
    const declared = Number(req.headers['content-length']);
    if (!(declared > bodyLimitFor(req.headers['content-type'], bodyLimits))) res.writeContinue();
    server.emit('request', req, res);
  });
}
