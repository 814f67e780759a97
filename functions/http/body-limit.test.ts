// The drawing endpoints' bodies share one budget of bytes in flight: an upload held open on one
// endpoint counts against the other, so two endpoints do not double what memory may hold.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyBytes } from './body-bytes.ts';
import { limitDrawingBodies } from './body-limit.ts';

function heldUpload() {
  let release!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(10));
      release = () => controller.close();
    },
  });
  return { body, release };
}

const post = (app: Hono, path: string, body: BodyInit) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'image/png' }, body, duplex: 'half' } as RequestInit);

describe('limitDrawingBodies', () => {
  it('counts an upload held open on one endpoint against the other, and frees it once read', async () => {
    const app = new Hono();
    app.on('POST', ['/a', '/b'], limitDrawingBodies({ jsonBytes: 100, imageBytes: 1000, bytesInFlight: 1500 }));
    app.post('/a', async (c) => c.json({ bytes: (await bodyBytes(c)).length }));
    app.post('/b', async (c) => c.json({ bytes: (await bodyBytes(c)).length }));

    const held = heldUpload();
    const first = post(app, '/a', held.body);
    await new Promise((r) => setTimeout(r, 20));
    const refused = await post(app, '/b', new Uint8Array(600));
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('server-busy');

    held.release();
    expect(await (await first).json()).toEqual({ bytes: 10 });
    const later = await post(app, '/b', new Uint8Array(600));
    expect(later.status).toBe(200);
    expect(await later.json()).toEqual({ bytes: 600 });
  });
});
