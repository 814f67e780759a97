// 413 in the API's error format once a body passes `maxBytes`, read to the end first (see discard-body.ts).
import { bodyLimit } from 'hono/body-limit';
import { errorResponse } from '../errors.ts';
import { discardBody } from './discard-body.ts';

/** Oversized bodies up to this size are read to the end so that the client receives the 413. */
const DISCARD_LIMIT = 64 * 1024 * 1024;

export const limitBody = (maxBytes: number) =>
  bodyLimit({
    maxSize: maxBytes,
    onError: async (c) => {
      await discardBody(c.req.raw, DISCARD_LIMIT);
      return errorResponse(c, 413, 'payload-too-large', `The body is larger than ${maxBytes} bytes`);
    },
  });
