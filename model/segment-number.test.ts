import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { blankImage, DIGIT_STROKES, drawNumber, drawStrokes } from '../functions/testing/fixtures.ts';
import { loadTestModels } from '../functions/testing/test-deps.ts';
import { toModelInput, type RgbaImage } from './input-contract.ts';
import { paintStrokes } from './paint-strokes.ts';
import { MAX_DIGITS, readNumber, readStrokes, segmentInk, segmentNumber, segmentStrokes, type DigitScore } from './segment-number.ts';

type Stroke = [number, number][];
const SIZE = 560;

/** A digit's strokes (coordinates 0..1 of its box) placed in the box (x, y, w, h) of the canvas. */
const place = (strokes: Stroke[], x: number, y: number, w: number, h: number): Stroke[] =>
  strokes.map((s) => s.map(([u, v]): [number, number] => [x + u * w, y + v * h]));

const { 1: ONE, 4: FOUR, 5: FIVE, 7: SEVEN } = DIGIT_STROKES;

const draw = (...digits: Stroke[][]) => drawStrokes(digits.flat(), SIZE);
const boxesOf = (image: RgbaImage) => {
  const s = segmentNumber(image);
  if (!s.ok) throw new Error(s.message);
  return s.digits;
};

describe('segmentNumber', () => {
  it('reads each digit of a row exactly as the contract reads it drawn alone, left to right', () => {
    const four = place(FOUR, 0.55, 0.3, 0.3, 0.4);
    const seven = place(SEVEN, 0.1, 0.32, 0.28, 0.38);
    const digits = boxesOf(draw(four, seven));
    expect(digits).toHaveLength(2);
    expect(digits[0]!.box.x).toBeLessThan(digits[1]!.box.x);
    const alone = [seven, four].map((d) => toModelInput(draw(d)));
    digits.forEach((digit, i) => {
      const input = alone[i]!;
      if (!input.ok) throw new Error('no ink');
      expect(digit.pixels).toEqual(input.pixels);
    });
  });

  it('keeps a 4 written in two strokes and a 5 with a loose flag as one digit each', () => {
    const five = place(FIVE, 0.55, 0.3, 0.3, 0.4);
    const parts = boxesOf(draw(place(FOUR, 0.1, 0.3, 0.3, 0.4), five));
    expect(parts).toHaveLength(2);
    // The 5's box takes in its flag, which reaches further right than the body.
    expect(parts[1]!.box.x + parts[1]!.box.width).toBeGreaterThan(0.85 * SIZE);
  });

  it('gives boxes in the picture\'s pixels', () => {
    const [one] = boxesOf(draw(place(ONE, 0.4, 0.2, 0.2, 0.5)));
    const radius = SIZE / 28; // the fixture brush
    expect(one!.box.y).toBeCloseTo(0.2 * SIZE + 0.05 * 0.5 * SIZE - radius, -1);
    expect(one!.box.height).toBeCloseTo(0.9 * 0.5 * SIZE + 2 * radius, -1);
  });

  it('drops a stray dot between digits', () => {
    const image = draw(place(ONE, 0.1, 0.3, 0.25, 0.4), place(SEVEN, 0.6, 0.3, 0.3, 0.4));
    for (let y = 300; y < 304; y++) for (let x = 278; x < 282; x++) image.data.set([20, 20, 20, 255], (y * SIZE + x) * 4);
    expect(boxesOf(image)).toHaveLength(2);
  });

  it('cuts digits that touch at their thinnest column', () => {
    // The second 7's bar starts where the first one's ends: one piece of ink, far wider than a digit.
    const digits = boxesOf(draw(place(SEVEN, 0.05, 0.3, 0.3, 0.4), place(SEVEN, 0.33, 0.3, 0.3, 0.4)));
    expect(digits).toHaveLength(2);
    const [left, right] = digits.map((d) => d.box);
    expect(left!.x + left!.width).toBeLessThanOrEqual(right!.x);
    // Cut where only the bars pass, between the first 7's diagonal and the second's.
    expect(left!.x + left!.width).toBeGreaterThan(0.3 * SIZE);
    expect(right!.x).toBeLessThan(0.4 * SIZE);
  });

  it('refuses an empty picture like the contract does, and a row of more than MAX_DIGITS marks', () => {
    expect(segmentNumber(blankImage())).toMatchObject({ ok: false, reason: 'no-ink' });
    // Upright bars a column apart on the model's own 28x28 white-on-black field: thirteen fit.
    const bars = (count: number) => {
      const ink = new Float64Array(28 * 28);
      for (let b = 0; b < count; b++) for (let y = 9; y < 19; y++) ink[y * 28 + 1 + 2 * b] = 1;
      return segmentInk(ink, 28, 28);
    };
    expect(bars(MAX_DIGITS + 1)).toMatchObject({ ok: false, reason: 'too-many-digits' });
    const twelve = bars(MAX_DIGITS);
    expect(twelve.ok && twelve.digits.length).toBe(MAX_DIGITS);
  });
});

describe('readNumber', () => {
  let score: DigitScore;
  let read: (pixels: Float32Array) => Promise<number>;
  beforeAll(async () => {
    const classifier = (await loadTestModels()).current()!;
    score = async (pixels) => {
      const r = await classifier.classify(pixels);
      return r.isDigit ? r.confidence : 0;
    };
    read = async (pixels) => (await classifier.classify(pixels)).digit;
  });

  it('cuts a 1 from the 0 it touches, a piece too narrow for the width rule, where the model reads both', async () => {
    // One piece of ink, less wide than tall.
    const image = draw(place(ONE, 0.1, 0.3, 0.1, 0.4), place(zero, 0.19, 0.3, 0.25, 0.4));
    const whole = boxesOf(image);
    expect(whole).toHaveLength(1);
    expect(whole[0]!.box.width).toBeLessThan(whole[0]!.box.height);
    const cut = await readNumber(image, score);
    if (!cut.ok) throw new Error(cut.message);
    expect(await Promise.all(cut.digits.map((d) => read(d.pixels)))).toEqual([1, 0]);
  });

  const zero: Stroke[] = [Array.from({ length: 25 }, (_, i): [number, number] => [0.5 + 0.45 * Math.cos((i / 12) * Math.PI), 0.5 + 0.45 * Math.sin((i / 12) * Math.PI)])];

  it('parts a 1 standing under the bar of the 7 beside it (apart, but within its columns), where the model reads both', async () => {
    const image = draw(place(SEVEN, 0.3, 0.3, 0.2, 0.4), place(ONE, 0.28, 0.45, 0.05, 0.25));
    expect(boxesOf(image)).toHaveLength(1); // the centre rule alone joins them
    const parted = await readNumber(image, score);
    if (!parted.ok) throw new Error(parted.message);
    expect(await Promise.all(parted.digits.map((d) => read(d.pixels)))).toEqual([1, 7]);
  });

  it('cuts two touching zeros far wider together than tall, however surely the squeezed pair reads as one 0', async () => {
    const image = draw(place(zero, 0.1, 0.3, 0.25, 0.3), place(zero, 0.33, 0.3, 0.25, 0.3));
    const cut = await readNumber(image, score);
    if (!cut.ok) throw new Error(cut.message);
    expect(await Promise.all(cut.digits.map((d) => read(d.pixels)))).toEqual([0, 0]);
  });

  it('cuts a row of touching digits that no one cut parts into two digits at its thinnest columns, and reads each', async () => {
    // Four sevens, each bar running into the next: every single cut leaves a side of two or three sevens.
    const image = draw(...[0, 1, 2, 3].map((i) => place(SEVEN, 0.05 + i * 0.17, 0.3, 0.2, 0.3)));
    const cut = await readNumber(image, score);
    if (!cut.ok) throw new Error(cut.message);
    expect(await Promise.all(cut.digits.map((d) => read(d.pixels)))).toEqual([7, 7, 7, 7]);
  });

  it('joins a 4 whose upright stands right of its open angle (apart, outside its columns), where the model reads the whole surer', async () => {
    const openAngle: Stroke = [[0.5, 0.05], [0.05, 0.6], [0.62, 0.6]];
    const upright: Stroke = [[0.85, 0.2], [0.85, 0.95]];
    const image = draw(place(ONE, 0.05, 0.3, 0.1, 0.4), place([openAngle, upright], 0.3, 0.3, 0.35, 0.4));
    expect(boxesOf(image)).toHaveLength(3); // the centre rule alone keeps the 4's strokes apart
    const joined = await readNumber(image, score);
    if (!joined.ok) throw new Error(joined.message);
    expect(await Promise.all(joined.digits.map((d) => read(d.pixels)))).toEqual([1, 4]);
  });

  it('keeps whole a single digit that a cut across two of its strokes would slice into a sure digit and a thin sliver', async () => {
    // Real pen-drawn digits of UNIPEN training writers (training/unipen/, CC BY 4.0), each about as
    // wide as tall: cut through both arcs near one side, each read as two digits (6 as 6 2, 7 as 7 6).
    const digits = gunzipSync(readFileSync(new URL('../training/unipen/digits.ndjson.gz', import.meta.url))).toString().trim().split('\n');
    for (const [line, label] of [[6615, 6], [6846, 7]] as const) {
      const { strokes, label: written } = JSON.parse(digits[line]!) as { strokes: Stroke[]; label: number };
      expect(written).toBe(label);
      const points = strokes.flat();
      const [left, top] = [0, 1].map((i) => Math.min(...points.map((p) => p[i]!)));
      const height = Math.max(...points.map((p) => p[1]!)) - top!;
      const unit = strokes.map((s) => s.map(([x, y]): [number, number] => [(x - left!) / height, (y - top!) / height]));
      const segmented = await readNumber(draw(place(unit, 0.3, 0.3, 0.4, 0.4)), score);
      if (!segmented.ok) throw new Error(segmented.message);
      expect(await Promise.all(segmented.digits.map((d) => read(d.pixels)))).toEqual([label]);
    }
  });

  it('reads touching digits apart when their strokes are known, where their ink is one piece', async () => {
    // A 1 whose stroke runs into the 0 beside it, and a 7 whose bar runs into the next 7's.
    const asStrokes = (...digits: Stroke[][]) => digits.flat().map((s) => ({ points: s.map(([x, y]): [number, number] => [x * SIZE, y * SIZE]), pen: SIZE / 14 }));
    const rows = [
      [[place(ONE, 0.1, 0.3, 0.1, 0.4), place(zero, 0.19, 0.3, 0.25, 0.4)], [1, 0]],
      [[place(SEVEN, 0.1, 0.3, 0.2, 0.3), place(SEVEN, 0.27, 0.3, 0.2, 0.3)], [7, 7]],
    ] as const;
    for (const [digits, expected] of rows) {
      expect(boxesOf(draw(...digits))).toHaveLength(1); // one piece of ink
      const byStroke = segmentStrokes(asStrokes(...digits), SIZE, SIZE);
      if (!byStroke.ok) throw new Error(byStroke.message);
      expect(await Promise.all(byStroke.digits.map((d) => read(d.pixels)))).toEqual(expected);
      const known = await readStrokes(asStrokes(...digits), SIZE, SIZE, score);
      if (!known.ok) throw new Error(known.message);
      expect(await Promise.all(known.digits.map((d) => read(d.pixels)))).toEqual(expected);
    }
  });

  it('keeps a short touch-up stroke that touches its digit, where alone it would be a speck', () => {
    const strokes = [
      { points: place(SEVEN, 0.3, 0.3, 0.2, 0.4)[0]!.map(([x, y]): [number, number] => [x * SIZE, y * SIZE]), pen: 24 },
      { points: [[0.5 * SIZE, 0.34 * SIZE]] as [number, number][], pen: 24 }, // a dot at the end of the bar
    ];
    const byStroke = segmentStrokes(strokes, SIZE, SIZE);
    const byInk = segmentInk(paintStrokes(strokes, SIZE, SIZE).ink, SIZE, SIZE);
    if (!byStroke.ok || !byInk.ok) throw new Error('no digits');
    expect(byStroke.digits).toHaveLength(1);
    expect(byStroke.digits[0]!.pixels).toEqual(byInk.digits[0]!.pixels);
  });

  it('leaves whole the digits it reads surely, and agrees with segmentNumber on digits apart', async () => {
    const image = drawNumber('1745');
    const cut = await readNumber(image, score);
    const plain = segmentNumber(image);
    if (!cut.ok || !plain.ok) throw new Error('no digits');
    expect(cut.digits).toEqual(plain.digits);
    expect(await Promise.all(cut.digits.map((d) => read(d.pixels)))).toEqual([1, 7, 4, 5]);
  });
});
