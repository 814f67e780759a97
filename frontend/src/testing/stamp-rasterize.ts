import type { RasterImage } from '../rasterize';
import type { Stroke } from '../stroke-path';

/**
 * jsdom cannot paint, so strokes are rasterised by stamping discs along them; the real input
 * contract (model/input-contract.ts) then turns that picture into the 784 pixels that are sent.
 */
export function stampRasterize(strokes: readonly Stroke[], width = 140, height = width): RasterImage {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  const stamp = (cx: number, cy: number, r: number) => {
    for (let y = Math.floor(cy - r); y <= cy + r; y++)
      for (let x = Math.floor(cx - r); x <= cx + r; x++)
        if (x >= 0 && y >= 0 && x < width && y < height && (x - cx) ** 2 + (y - cy) ** 2 <= r * r)
          data.fill(30, 4 * (y * width + x), 4 * (y * width + x) + 3);
  };
  for (const { points, width: pen } of strokes)
    points.forEach((p, i) => {
      const q = points[i + 1] ?? p;
      for (let t = 0; t <= 1; t += 0.1)
        stamp((p.x + (q.x - p.x) * t) * width, (p.y + (q.y - p.y) * t) * height, (pen * height) / 2);
    });
  return { data, width, height };
}
