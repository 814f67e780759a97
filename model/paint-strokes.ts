// Pen strokes painted the way the page paints them (a round pen, round caps and joins) onto an ink
// plane, with which stroke laid down each pixel's ink: the page knows its strokes, and two digits
// whose ink touches are still two sets of strokes. Pure TypeScript: browsers, Node and Workers.

/** A stroke: its points in pixels of the plane, and the width of the round pen that drew it. */
export interface PenStroke {
  points: readonly (readonly [x: number, y: number])[];
  pen: number;
}

export interface PaintedStrokes {
  /** Ink coverage per pixel, 0..1, row by row (white ink on black, as `inkOf` gives it). */
  ink: Float64Array;
  /** Per pixel, 1 + the index of the stroke that covers it most; 0 where no stroke does. */
  owner: Int32Array;
}

/**
 * `strokes` drawn, each with its round pen, on a `width` x `height` plane. A pixel's ink is
 * how much of it the pen covers (the distance from its centre to the stroke, softened over one pixel,
 * so edges are anti-aliased as a canvas draws them); where strokes overlap, the most ink counts.
 */
export function paintStrokes(strokes: readonly PenStroke[], width: number, height: number): PaintedStrokes {
  const ink = new Float64Array(width * height);
  const owner = new Int32Array(width * height);
  strokes.forEach(({ points: stroke, pen }, index) => {
    const radius = pen / 2;
    // A single point is a dot: a segment from the point to itself.
    for (let i = 0; i < Math.max(stroke.length - 1, 1); i++) {
      const [ax, ay] = stroke[i]!;
      const [bx, by] = stroke[Math.min(i + 1, stroke.length - 1)]!;
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius - 1));
      const x1 = Math.min(width, Math.ceil(Math.max(ax, bx) + radius + 1));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius - 1));
      const y1 = Math.min(height, Math.ceil(Math.max(ay, by) + radius + 1));
      const dx = bx - ax, dy = by - ay;
      const length2 = dx * dx + dy * dy;
      for (let y = y0; y < y1; y++) {
        for (let x = x0, p = y * width + x0; x < x1; x++, p++) {
          const px = x + 0.5 - ax, py = y + 0.5 - ay;
          const t = length2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / length2)) : 0;
          const cover = Math.min(1, radius + 0.5 - Math.hypot(px - t * dx, py - t * dy));
          if (cover > ink[p]!) {
            ink[p] = cover;
            owner[p] = index + 1;
          }
        }
      }
    }
  });
  return { ink, owner };
}
