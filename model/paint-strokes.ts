// Pen strokes painted with a round pen (round caps and joins) onto an ink plane, along straight lines
// through their points (the page smooths the same points into curves), with which stroke laid down
// each pixel's ink: the page knows its strokes, and two digits whose ink touches are still two sets of
// strokes. Pure TypeScript: browsers, Node and Workers.

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
  const plane = { ink: new Float64Array(width * height), owner: new Int32Array(width * height), width, height };
  strokes.forEach(({ points, pen }, index) => {
    const radius = pen / 2;
    for (const [a, b] of segments(points)) {
      const clipped = clip(a, b, radius + 1, width, height);
      if (!clipped) continue;
      // In pieces about as long as the pen is wide, each over its own box: the cost follows the
      // length painted (paintCost), not the box of a long diagonal.
      const [sx, sy, ex, ey] = clipped;
      const pieces = piecesOf(Math.hypot(ex - sx, ey - sy), pen);
      for (let k = 0; k < pieces; k++) {
        const from = k / pieces, to = (k + 1) / pieces;
        paintSegment(plane, sx + (ex - sx) * from, sy + (ey - sy) * from, sx + (ex - sx) * to, sy + (ey - sy) * to, radius, index + 1);
      }
    }
  });
  return { ink: plane.ink, owner: plane.owner };
}

type Plane = PaintedStrokes & { width: number; height: number };
type Point = readonly [number, number];

/** A stroke's segments, point to point; a single point is a dot, a segment from the point to itself. */
function* segments(points: readonly Point[]): Generator<[Point, Point]> {
  for (let i = 0; i < Math.max(points.length - 1, 1); i++) yield [points[i]!, points[Math.min(i + 1, points.length - 1)]!];
}

/** A segment is painted in pieces about as long as the pen is wide. */
const piecesOf = (length: number, pen: number) => Math.max(1, Math.ceil(length / (pen + 2)));

/** The part of the segment a-b within `margin` of the plane (Liang-Barsky), or null when none is. */
function clip(a: Point, b: Point, margin: number, width: number, height: number) {
  const [ax, ay] = a, dx = b[0] - ax, dy = b[1] - ay;
  let t0 = 0, t1 = 1;
  for (const [p, q] of [[-dx, ax + margin], [dx, width + margin - ax], [-dy, ay + margin], [dy, height + margin - ay]] as const) {
    if (p === 0) {
      if (q < 0) return null;
    } else if (p < 0) t0 = Math.max(t0, q / p);
    else t1 = Math.min(t1, q / p);
  }
  return t0 > t1 ? null : [ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy];
}

function paintSegment({ ink, owner, width, height }: Plane, ax: number, ay: number, bx: number, by: number, radius: number, label: number) {
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
        owner[p] = label;
      }
    }
  }
}

/**
 * How many pixels painting `strokes` visits at most: each piece of each segment is painted over its
 * box, the pen and a pixel of softening around it, however short the segment (a point drawn ten
 * thousand times costs ten thousand boxes). Bounding it bounds the work, whatever the strokes are.
 */
export function paintCost(strokes: readonly PenStroke[]): number {
  let cost = 0;
  for (const { points, pen } of strokes) {
    for (const [[ax, ay], [bx, by]] of segments(points)) {
      const length = Math.hypot(bx - ax, by - ay);
      const pieces = piecesOf(length, pen);
      cost += pieces * (length / pieces + pen + 4) ** 2;
    }
  }
  return cost;
}
