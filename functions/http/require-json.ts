import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.ts';
import { mediaType } from './validate.ts';

/** 415 unless the body is declared as JSON. */
export const requireJson = createMiddleware(async (c, next) => {
  if (mediaType(c.req.header('content-type')) !== 'application/json') {
    throw new ApiError(415, 'unsupported-media-type', 'Send the body as application/json');
  }
  await next();
});
