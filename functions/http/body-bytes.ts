// A body read once: limitBody (body-limit.ts) reads it under its limits and keeps the bytes here, and
// the handlers take them from here. Wrapping them in a new Request to be read through again cost more
// than the rest of the body's path.
import type { Context } from 'hono';

const KEPT_BODY = 'keptBody';

export function keepBody(c: Context, bytes: Uint8Array<ArrayBuffer>): void {
  c.set(KEPT_BODY, bytes);
}

/** The request's body: the bytes kept by limitBody, or the body itself where no limit read it. */
export async function bodyBytes(c: Context): Promise<Uint8Array<ArrayBuffer>> {
  const kept = c.get(KEPT_BODY) as Uint8Array<ArrayBuffer> | undefined;
  return kept ?? new Uint8Array(await c.req.arrayBuffer());
}
