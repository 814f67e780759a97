// Every error leaves the API as {"error": {"code", "message"}}; 5xx never carry internals.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

export const errorResponse = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json(errorBody(code, message), status);

// Codes for errors raised by Hono itself (malformed JSON from a validator, and the like).
const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

export function toErrorResponse(err: unknown, c: Context, log: (line: string) => void): Response {
  if (err instanceof ApiError) return errorResponse(c, err.status, err.code, err.message);
  if (err instanceof HTTPException && err.status < 500) {
    const code = /json/i.test(err.message) ? 'invalid-json' : (CODES_BY_STATUS[err.status] ?? 'bad-request');
    return errorResponse(c, err.status, code, err.message || 'Bad request');
  }
  const requestId = c.get('requestId') as string | undefined;
  log(`error request=${requestId ?? '-'} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return errorResponse(c, 500, 'internal-error', `Internal server error (request ${requestId ?? 'unknown'})`);
}
