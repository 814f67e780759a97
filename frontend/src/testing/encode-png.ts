import { encode } from 'fast-png';
import type { RasterImage } from '../rasterize';

/** jsdom's canvas cannot export a PNG; fast-png writes the same picture, so the server-side decoder reads it back. */
export async function encodePngWithoutCanvas(image: RasterImage): Promise<Blob> {
  const png = encode({ width: image.width, height: image.height, data: new Uint8Array(image.data), channels: 4, depth: 8 });
  return new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}
