import { describe, expect, it } from 'vitest';
import { paintCost, paintStrokes } from './paint-strokes.ts';

const at = (plane: { ink: Float64Array }, width: number, x: number, y: number) => plane.ink[y * width + x]!;

describe('paintStrokes', () => {
  it('paints a round pen: full ink within half the pen of the line, none beyond, round ends', () => {
    const painted = paintStrokes([{ points: [[10, 20], [30, 20]], pen: 8 }], 40, 40);
    // Pixel centres sit at +0.5: the line y = 20 runs between rows 19 and 20.
    expect(at(painted, 40, 20, 17)).toBe(1); // 3 px from the line
    expect(at(painted, 40, 20, 23)).toBe(1);
    expect(at(painted, 40, 20, 25)).toBe(0); // 5.5 px away, past the 4 px radius
    expect(at(painted, 40, 20, 14)).toBe(0);
    expect(at(painted, 40, 32, 20)).toBe(1); // a cap past the end
    expect(at(painted, 40, 36, 20)).toBe(0);
    // The edge is soft over a pixel: 4.5 px from the line is not covered, 4 px half.
    expect(at(painted, 40, 20, 24)).toBeCloseTo(0, 5);
    expect(at(painted, 40, 20, 15)).toBeCloseTo(0, 5);
    const edge = paintStrokes([{ points: [[10, 20.5], [30, 20.5]], pen: 8 }], 40, 40);
    expect(at(edge, 40, 20, 24)).toBeCloseTo(0.5, 5);
  });

  it('paints a tap as a dot of the pen', () => {
    const painted = paintStrokes([{ points: [[20.5, 20.5]], pen: 10 }], 40, 40);
    expect(at(painted, 40, 20, 20)).toBe(1);
    expect(at(painted, 40, 24, 20)).toBe(1);
    expect(at(painted, 40, 26, 20)).toBe(0);
    expect(painted.owner[20 * 40 + 20]).toBe(1);
  });

  it('tells which stroke laid down each pixel: the one that covers it most, the earlier where both do fully', () => {
    const { owner } = paintStrokes(
      [
        { points: [[5, 20], [35, 20]], pen: 6 },
        { points: [[20, 5], [20, 35]], pen: 6 },
      ],
      40,
      40,
    );
    expect(owner[19 * 40 + 8]).toBe(1);
    expect(owner[8 * 40 + 19]).toBe(2);
    expect(owner[19 * 40 + 19]).toBe(1); // the crossing
    expect(owner[2 * 40 + 2]).toBe(0);
  });

  it('clips strokes to the plane, far off it too', () => {
    const painted = paintStrokes(
      [
        { points: [[-1e9, -1e9], [-1e9 + 1, -1e9]], pen: 40 },
        { points: [[1e12, 5], [2e12, 5]], pen: 40 },
      ],
      40,
      40,
    );
    expect(painted.ink.every((v) => v === 0)).toBe(true);
    const half = paintStrokes([{ points: [[-10, 20], [10, 20]], pen: 4 }], 40, 40);
    expect(at(half, 40, 0, 19)).toBe(1);
    expect(at(half, 40, 12, 19)).toBe(0);
  });

  it('bounds the pixels painting visits: every piece of every segment its box, a repeated point too', () => {
    // 50 px at a pen of 8: five pieces of 10 px, each a box of 10 + 8 + 4 a side.
    expect(paintCost([{ points: [[0, 0], [30, 40]], pen: 8 }])).toBeCloseTo(5 * 22 ** 2, 6);
    expect(paintCost([{ points: [[5, 5]], pen: 8 }])).toBe(12 ** 2);
    expect(paintCost([{ points: Array(100).fill([5, 5]), pen: 8 }])).toBe(99 * 12 ** 2);
    expect(paintCost([{ points: [[0, 0], [1e308, 1e308]], pen: 8 }])).toBe(Infinity);
  });
});
