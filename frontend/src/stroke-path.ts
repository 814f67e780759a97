// Geometry and painting of freehand strokes, kept free of the DOM so it can be tested with a
// recording context. Points are stored in unit coordinates (0..1 of the canvas's width and height)
// and widths as a fraction of its height (the side of a square pad, the height of a wide one), so
// one drawing paints identically at any display size or DPR.

export type Point = { x: number; y: number };
export type Stroke = { points: Point[]; width: number };

/** The subset of CanvasRenderingContext2D the painter uses. */
export type PathSink = Pick<
  CanvasRenderingContext2D,
  'beginPath' | 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'arc' | 'stroke' | 'fill' | 'fillRect'
> & {
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
  strokeStyle: CanvasRenderingContext2D['strokeStyle'];
  fillStyle: CanvasRenderingContext2D['fillStyle'];
};

export const INK = '#1c2733';
export const PAPER = '#ffffff';

const midpoint = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * Traces one stroke on a canvas of `width` x `height` pixels: a dot for a tap, otherwise quadratic
 * curves whose control points are the sampled points and whose ends are the midpoints between them,
 * which gives a smooth line through jittery pointer samples without overshooting.
 */
export function traceStroke(ctx: PathSink, stroke: Stroke, width: number, height = width): void {
  const pts = stroke.points.map((p) => ({ x: p.x * width, y: p.y * height }));
  const pen = stroke.width * height;
  if (pts.length === 0) return;
  ctx.beginPath();
  if (pts.length === 1) {
    ctx.fillStyle = INK;
    ctx.arc(pts[0].x, pts[0].y, pen / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  ctx.strokeStyle = INK;
  ctx.lineWidth = pen;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.moveTo(pts[0].x, pts[0].y);
  for (let i = 1; i < pts.length - 1; i++) {
    const end = midpoint(pts[i], pts[i + 1]);
    ctx.quadraticCurveTo(pts[i].x, pts[i].y, end.x, end.y);
  }
  const last = pts[pts.length - 1];
  ctx.lineTo(last.x, last.y);
  ctx.stroke();
}

/** Paints the paper and every stroke onto `width` x `height` pixels (a square by default). */
export function paintDrawing(ctx: PathSink, strokes: readonly Stroke[], width: number, height = width): void {
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, width, height);
  for (const stroke of strokes) traceStroke(ctx, stroke, width, height);
}

/** Drops samples closer than `minStep` (unit coordinates) to the previous one; keeps paths light. */
export function appendPoint(points: Point[], p: Point, minStep = 0.002): boolean {
  const clamped = { x: Math.min(1, Math.max(0, p.x)), y: Math.min(1, Math.max(0, p.y)) };
  const prev = points[points.length - 1];
  if (prev && Math.hypot(prev.x - clamped.x, prev.y - clamped.y) < minStep) return false;
  points.push(clamped);
  return true;
}

/**
 * The strokes in pixels of a `width` x `height` canvas, as POST /api/numbers takes them (a tenth of
 * a pixel is finer than any pointer, and keeps the body small).
 */
export function strokesInPixels(strokes: readonly Stroke[], width: number, height: number) {
  const tenth = (v: number) => Math.round(v * 10) / 10;
  return {
    strokes: strokes.map((s) => ({ points: s.points.map((p): [number, number] => [tenth(p.x * width), tenth(p.y * height)]), pen: tenth(s.width * height) })),
    width,
    height,
  };
}
