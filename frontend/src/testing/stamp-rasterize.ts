import type { RasterImage } from '../rasterize';
import type { Stroke } from '../stroke-path';

/**
 * jsdom cannot paint, so strokes are rasterised by stamping discs along them; the real input
 * contract (model/input-contract.ts) then turns that picture into the 784 pixels that are sent.
 */
export function stampRasterize(strokes: readonly Stroke[], size = 140): RasterImage {
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  const stamp = (cx: number, cy: number, r: number) => {
    for (let y = Math.floor(cy - r); y <= cy + r; y++)
      for (let x = Math.floor(cx - r); x <= cx + r; x++)
        if (x >= 0 && y >= 0 && x < size && y < size && (x - cx) ** 2 + (y - cy) ** 2 <= r * r)
          data.fill(30, 4 * (y * size + x), 4 * (y * size + x) + 3);
  };
  for (const { points, width } of strokes)
    points.forEach((p, i) => {
      const q = points[i + 1] ?? p;
      for (let t = 0; t <= 1; t += 0.1)
        stamp((p.x + (q.x - p.x) * t) * size, (p.y + (q.y - p.y) * t) * size, (width * size) / 2);
    });
  return { data, width: size, height: size };
}
