// Request bodies read under two budgets: `maxBytes` for the request, and optionally a byte budget that
// all requests share, so that many large uploads at once (or held open) cannot fill the memory.
// A Content-Length over the limit is answered 413 before any of the body is read. The body read is kept
// for the handler, which takes it with bodyBytes (body-bytes.ts): the request's own stream is spent.
import type { Context, MiddlewareHandler } from 'hono';
import { DEFAULT_LIMITS, type BodyLimits } from '../deps.ts';
import { errorResponse } from '../errors.ts';
import { keepBody } from './body-bytes.ts';
import { mediaType } from './validate.ts';

/** The most bytes a request body with this Content-Type may have (JSON is small; images may be large). */
export const bodyLimitFor = (contentType: string | undefined, limits: BodyLimits = DEFAULT_LIMITS) =>
  mediaType(contentType) === 'application/json' ? limits.jsonBytes : limits.imageBytes;

/** Bytes shared by all requests: `take` fails once the total would pass `capacity`. */
export interface ByteBudget {
  take(bytes: number): boolean;
  release(bytes: number): void;
  readonly used: number;
}

export function createByteBudget(capacity: number): ByteBudget {
  let used = 0;
  return {
    take: (bytes) => (used + bytes <= capacity ? ((used += bytes), true) : false),
    release: (bytes) => void (used -= bytes),
    get used() {
      return used;
    },
  };
}

/** How long a client refused for want of memory should wait: uploads in flight finish within seconds. */
const BUSY_RETRY_AFTER_SECONDS = 2;

function declaredLength(c: Context): number | undefined {
  const header = c.req.header('content-length');
  return header !== undefined && !c.req.header('transfer-encoding') && /^\d+$/.test(header) ? Number(header) : undefined;
}

// The connection is not closed at once: closing it under a client still sending resets it, and the
// client's system may then drop this answer unread. The rest is read and dropped instead, within the
// Node adapter's bound on that (64 MiB or half a second, then it closes).
const tooLarge = (c: Context, maxBytes: number) =>
  errorResponse(c, 413, 'payload-too-large', `The body is larger than ${maxBytes} bytes`);

export const limitBody =
  (maxBytes: number, budget?: ByteBudget): MiddlewareHandler =>
  async (c, next) => {
    // Checked before the body is touched: a body never opened as a stream is free to be drained.
    const declared = declaredLength(c);
    if (declared !== undefined && declared > maxBytes) return tooLarge(c, maxBytes);
    const body = c.req.raw.body;
    if (!body) return next();
    // A declared length is reserved and allocated at once, before a byte is read; a body of unknown
    // length grows its buffer (and its share of the budget) as it arrives.
    const most = declared ?? maxBytes;
    let buffer = new Uint8Array(declared ?? Math.min(maxBytes, 64 * 1024));
    let held = 0;
    const grow = (size: number) => {
      if (!budget) return true;
      if (!budget.take(size - held)) return false;
      held = size;
      return true;
    };
    const reader = body.getReader();
    try {
      let size = 0;
      if (!grow(buffer.length)) return busy(c);
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch {
          // The client went away mid-upload: one log line (the request's own), no error.
          return errorResponse(c, 400, 'request-aborted', 'The request body ended before it was complete');
        }
        if (chunk.done) break;
        const offset = size;
        size += chunk.value.length;
        if (size > most) return tooLarge(c, maxBytes);
        if (size > buffer.length) {
          const grown = Math.min(most, Math.max(size, buffer.length * 2));
          if (!grow(grown)) return busy(c);
          const next = new Uint8Array(grown);
          next.set(buffer.subarray(0, offset));
          buffer = next;
        }
        buffer.set(chunk.value, offset);
      }
      keepBody(c, buffer.subarray(0, size));
      await next();
    } finally {
      reader.releaseLock();
      budget?.release(held);
    }
  };

function busy(c: Context) {
  c.header('Connection', 'close');
  return errorResponse(c, 503, 'server-busy', 'Too many uploads are in progress; try again shortly', {
    'Retry-After': String(BUSY_RETRY_AFTER_SECONDS),
  });
}

/**
 * The bodies of drawings (POST /api/predict and /api/numbers): JSON under its small limit, images and
 * multipart under theirs, and all of them together under one budget of bytes in flight.
 */
export function limitDrawingBodies(limits: BodyLimits): MiddlewareHandler {
  const budget = createByteBudget(limits.bytesInFlight);
  const json = limitBody(limits.jsonBytes, budget);
  const image = limitBody(limits.imageBytes, budget);
  return (c, next) => (mediaType(c.req.header('content-type')) === 'application/json' ? json : image)(c, next);
}
