// Every error leaves the API as {"error": {"code", "message"}}; 5xx never carry internals.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { StoreUnavailableError } from './store/store.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. Retry-After on a 429 or 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

export const errorResponse = (
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) => c.json(errorBody(code, message), status, headers);

/** How long a client should wait after a 503 for the database: a proxy or server restart takes seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

// Codes for errors raised by Hono itself (a malformed header for bearer-auth, and the like); bodies are
// parsed by the API's own code (http/validate.ts), which answers malformed JSON as invalid-json.
const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

export function toErrorResponse(err: unknown, c: Context, log: (line: string) => void): Response {
  if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message, err.headers);
  if (err instanceof HTTPException && err.status < 500) {
    // Middleware that already answers in the API's format (bearer-auth, given errorBody messages).
    if (err.res?.headers.get('content-type')?.startsWith('application/json')) return err.getResponse();
    return errorResponse(c, err.status, CODES_BY_STATUS[err.status] ?? 'bad-request', err.message || 'Bad request');
  }
  const requestId = c.get('requestId') as string | undefined;
  if (err instanceof StoreUnavailableError) {
    // Expected while the database restarts: one short line, and the client is told to retry.
    log(`database unavailable request=${requestId ?? '-'}: ${err.message}`);
    return errorResponse(c, 503, 'database-unavailable', 'The database is not reachable right now; try again shortly', {
      'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS),
    });
  }
  log(`error request=${requestId ?? '-'} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return errorResponse(c, 500, 'internal-error', `Internal server error (request ${requestId ?? 'unknown'})`);
}
