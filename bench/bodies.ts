// The two request bodies of POST /api/predict the benchmarks send: the page's JSON pixels and a
// canvas export (280x280 RGBA PNG, dark ink on a transparent background).
import { drawSeven, pngBytes, sevenPixels } from '../functions/testing/fixtures.ts';

export interface Body {
  name: 'json' | 'png';
  contentType: string;
  bytes: Buffer;
}

let bodies: Body[] | undefined;

/** Made once: drawing and encoding the PNG is not what is measured. */
export function predictBodies(): Body[] {
  return (bodies ??= [
    { name: 'json', contentType: 'application/json', bytes: Buffer.from(JSON.stringify({ pixels: sevenPixels(), source: 'canvas' })) },
    { name: 'png', contentType: 'image/png', bytes: Buffer.from(pngBytes(drawSeven())) },
  ]);
}
