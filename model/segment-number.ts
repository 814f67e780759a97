// A row of handwritten digits cut into single digits, each turned into the model's input exactly as
// if it had been drawn alone (input-contract.ts). Pure TypeScript: browsers, Node and Workers.
//
// On the contract's ink plane: connected pieces of ink (8-connected, above the contract's noise
// floor) are found; specks much smaller than the writing are dropped; a piece whose middle (centre
// of mass) lies within another's columns is part of the same digit (a 4 in two strokes); a flat
// piece (a 5's flag, a 7's bar) joins the digit it overlaps most; a digit much wider than tall is
// touching digits and is cut at its thinnest column. With the model (readNumber), neighbours that
// nearly meet are joined where it reads the whole far surer than the parts (a 4 whose upright stands
// apart); touching digits are cut, and overlapping neighbours parted, where it reads the parts surer
// than the whole, and no cut across two strokes leaves a thin sliver of a digit; a part still much
// wider than tall (digits touching in a run, where no one cut leaves two single digits) is cut at its
// thinnest column and its sides read again. Digits are read left to right.
import { inkOf, inkToModelInput, NOISE_FLOOR, refuseNearEmpty, type RgbaImage, type Refusal } from './input-contract.ts';
import { cutAt, groupInk, inGroup, inkRuns, join, joinPieces, labelPieces, strokePieces, type Group, type Plane } from './ink-pieces.ts';
import { paintStrokes, type PenStroke } from './paint-strokes.ts';

/** Most digits one drawing may hold; more is refused rather than read. */
export const MAX_DIGITS = 12;
/** A piece whose longer side is under this share of the tallest piece's height is a speck, not writing. */
export const SPECK_SHARE = 0.15;
/** A piece less tall than this share of the tallest is flat: a flag or a bar of a digit beside or under it. */
export const FLAT_SHARE = 0.4;
/** A digit is seldom wider than this times its height; a wider one is touching digits, cut in two... */
export const SPLIT_ASPECT = 1.25;
/** ...where both sides are at least this share of its height tall (a 2's long tail is no digit)... */
export const SPLIT_MIN_HEIGHT = 0.6;
/** ...at the column with the least ink in this middle share of its width. */
export const SPLIT_WINDOW = 0.5;
/** More pieces than this (after dropping specks) is no row of digits: refused before any merging. */
const MAX_PIECES = 8 * MAX_DIGITS;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SegmentedDigit {
  /** Where the digit is in the image, in its pixels. */
  box: Box;
  /** The model's input for this digit alone: 784 values, white ink on black. */
  pixels: Float32Array;
}

export type NumberSegmentation =
  | { ok: true; digits: SegmentedDigit[] }
  | Refusal
  | { ok: false; reason: 'too-many-digits'; message: string };


export function segmentNumber(image: RgbaImage): NumberSegmentation {
  return segmentInk(inkOf(image), image.width, image.height);
}

/**
 * The same on an ink plane (`inkOf`'s, or a picture that is ink already, like the model's own
 * white-on-black pixels); the plane is not changed.
 */
export function segmentInk(ink: Float64Array, width: number, height: number, owner?: Int32Array): NumberSegmentation {
  const found = findDigits(ink, width, height, owner);
  if (!found.ok) return found;
  return toDigits(found.plane, found.groups.flatMap((g) => (found.isFlat(g) ? [g] : splitWide(found.plane, g, MAX_DIGITS))));
}

/** The same on strokes, each its own piece of ink (see readStrokes). */
export function segmentStrokes(strokes: readonly PenStroke[], width: number, height: number): NumberSegmentation {
  const { ink, owner } = paintStrokes(strokes, width, height);
  return segmentInk(ink, width, height, owner);
}

/**
 * How sure a reader is that a model input is one digit, 0..1 (the model's confidence, 0 when it says
 * "not a digit").
 */
export type DigitScore = (pixels: Float32Array) => Promise<number>;

/**
 * As `segmentNumber`, but touching digits are cut where the reader agrees: a digit at least
 * CUT_ASPECT times as wide as tall is cut at the column (of CUT_TRIES across its middle) where the
 * less sure of the two sides is surest, if that beats how sure the reader is of the whole by
 * CUT_MARGIN, and each
 * side again while it is wide enough. This finds touching digits that are not wide (a 1 against its
 * neighbour) and leaves whole the wide single digits (a 2 with a long tail).
 */
export async function readNumber(image: RgbaImage, score: DigitScore): Promise<NumberSegmentation> {
  return readInk(inkOf(image), image.width, image.height, score);
}

/**
 * As `readNumber`, for a drawing whose strokes are known (the page's): painted with their round pens
 * on a `width` x `height` plane, each stroke its own piece of ink, so digits whose strokes touch are
 * apart from the start and only a stroke that runs on into the next digit needs cutting.
 */
export async function readStrokes(strokes: readonly PenStroke[], width: number, height: number, score: DigitScore): Promise<NumberSegmentation> {
  const { ink, owner } = paintStrokes(strokes, width, height);
  return readInk(ink, width, height, score, owner);
}

/** `owner`: which stroke laid down each pixel's ink (paint-strokes.ts), when the strokes are known. */
export async function readInk(ink: Float64Array, width: number, height: number, score: DigitScore, owner?: Int32Array): Promise<NumberSegmentation> {
  const found = findDigits(ink, width, height, owner);
  if (!found.ok) return found;
  const { plane } = found;
  // A group is often scored more than once (as a neighbour, then as a whole): read each once.
  const scores = new WeakMap<Group, Promise<number>>();
  const scoreOf = (part: Group) => {
    let scored = scores.get(part);
    if (!scored) {
      const input = inkToModelInput(groupInk(plane, part), part.x1 - part.x0, part.y1 - part.y0);
      scored = input.ok ? score(input.pixels) : Promise.resolve(0);
      scores.set(part, scored);
    }
    return scored;
  };
  const parting = partings(found.pieces, found.isFlat, scoreOf);
  const cutting = cuttings(plane, scoreOf);
  const groups: Group[] = [];
  for (const g of await joinWhereRead(found.groups, scoreOf)) {
    if (found.isFlat(g)) {
      groups.push(g);
      continue;
    }
    for (const part of await splitWhereRead(g, parting, scoreOf, MAX_DIGITS)) groups.push(...(await cutTouching(part)));
  }
  return toDigits(plane, groups);

  // Cut where read; a part still too wide to be one digit (segmentNumber's rule), which no cut read
  // as two digits (three touching digits: no cut leaves two single ones), is cut at its thinnest
  // column, and each side read again.
  async function cutTouching(g: Group): Promise<Group[]> {
    const parts: Group[] = [];
    for (const part of await splitWhereRead(g, cutting, scoreOf, MAX_DIGITS)) {
      const sides = isWide(part) ? cutThinnest(plane, part) : null;
      if (!sides) parts.push(part);
      else for (const side of sides) parts.push(...(await cutTouching(side)));
      if (parts.length > MAX_DIGITS) break; // refused as too many anyway
    }
    return parts;
  }
}

type GroupScore = (part: Group) => Promise<number>;

/** Neighbours at most this share of the taller one's height apart may be pieces of one digit... */
export const JOIN_GAP = 0.1;
/**
 * ...joined where the reader's doubt about the whole (1 - how sure) is at most this share of its doubt
 * about the less sure part. A doubt ratio, not a margin: a 4's open angle alone already reads as a 6
 * at 0.9, and the whole as a 4 at 0.998.
 */
export const JOIN_DOUBT = 0.25;

/**
 * The centre rule keeps apart the pieces of a digit that lie side by side (a 4 whose upright stands
 * right of its open angle, outside its columns): neighbours that nearly meet, and are not too wide
 * together to be one digit, are joined where the reader is far surer of the whole than of the parts.
 */
async function joinWhereRead(groups: Group[], scoreOf: GroupScore): Promise<Group[]> {
  const row = [...groups].sort((a, b) => a.x0 + a.x1 - (b.x0 + b.x1));
  for (let i = 0; i + 1 < row.length; ) {
    const a = row[i]!, b = row[i + 1]!;
    const height = Math.max(a.y1 - a.y0, b.y1 - b.y0);
    const whole = join(a, b);
    if (b.x0 - a.x1 <= JOIN_GAP * height && !isWide(whole)) {
      const parts = Math.min(await scoreOf(a), await scoreOf(b));
      if (1 - (await scoreOf(whole)) < JOIN_DOUBT * (1 - parts)) {
        row.splice(i, 2, whole);
        continue;
      }
    }
    i++;
  }
  return row;
}

/** One way of splitting a digit in two: what the reader must beat, and the candidates. */
interface Splitting {
  /** How sure the reader is of the whole, or null when it is not to be split this way at all. */
  whole(g: Group): Promise<number | null>;
  /** The left and right sides of each split to try. */
  splits(g: Group): [Group, Group][];
}

/**
 * `g` split where the reader is surer of the less sure of the two sides than of the whole by
 * CUT_MARGIN (the best such split of those offered), and each side again: at most `budget` parts.
 */
async function splitWhereRead(g: Group, splitting: Splitting, scoreOf: GroupScore, budget: number): Promise<Group[]> {
  if (budget < 2) return [g];
  const whole = await splitting.whole(g);
  if (whole === null || whole + CUT_MARGIN >= 1) return [g]; // no split could beat it
  let best: { sure: number; left: Group; right: Group } | undefined;
  for (const [left, right] of splitting.splits(g)) {
    const sure = Math.min(await scoreOf(left), await scoreOf(right));
    if (!best || sure > best.sure) best = { sure, left, right };
  }
  if (!best || best.sure <= whole + CUT_MARGIN) return [g];
  const left = await splitWhereRead(best.left, splitting, scoreOf, budget - 1);
  return [...left, ...(await splitWhereRead(best.right, splitting, scoreOf, budget - left.length))];
}

/**
 * A digit joined from several pieces may be neighbours that do not touch but whose boxes overlap (a 1
 * leaning over a 2): its pieces, in order of their centres, are parted into a left and a right digit,
 * neither part flat (a 5's flag alone is no digit).
 */
function partings(pieces: Group[], isFlat: (g: Group) => boolean, scoreOf: GroupScore): Splitting {
  const piecesOf = (g: Group) =>
    pieces.filter((p) => g.labels.has(p.labels.values().next().value!)).sort((a, b) => a.mx / a.mass - b.mx / b.mass);
  return {
    whole: async (g) => (piecesOf(g).filter((p) => !isFlat(p)).length < 2 ? null : scoreOf(g)),
    splits: (g) => {
      const mine = piecesOf(g);
      const splits: [Group, Group][] = [];
      for (let k = 1; k < mine.length; k++) {
        const left = mine.slice(0, k).reduce(join), right = mine.slice(k).reduce(join);
        if (!isFlat(left) && !isFlat(right)) splits.push([left, right]);
      }
      return splits;
    },
  };
}

/** A digit at least this many times as wide as tall may be touching digits (a 1 against a 0 is about 0.9). */
export const CUT_ASPECT = 0.75;
/** Cuts tried across the middle CUT_WINDOW of such a digit's width. */
export const CUT_TRIES = 16;
/** Touching digits meet at a stroke or two: a cut crossing more (through a 0's middle) is not tried. */
export const CUT_MAX_RUNS = 2;
/**
 * A cut across two strokes leaves no side narrower than this share of its height: slicing a digit
 * near one side across two of its strokes (a 6 through its loop, a 7 through its bar and stem) leaves
 * a thin side that reads as a sure digit of its own. Digits that merely touch meet at one stroke,
 * and a 1 cut from its neighbour there may be as thin as it likes.
 */
export const CUT_MIN_WIDTH = 0.6;
/** A cut holds only where the less sure side beats the whole by this much: a 0 is no 1 beside a 0. */
export const CUT_MARGIN = 0.1;
export const CUT_WINDOW = 0.8;

/** Touching digits: a digit at least CUT_ASPECT times as wide as tall is cut at one of CUT_TRIES columns. */
function cuttings(plane: Plane, scoreOf: GroupScore): Splitting {
  return {
    whole: async (g) => {
      const width = g.x1 - g.x0, height = g.y1 - g.y0;
      if (width < CUT_ASPECT * height) return null;
      // Wider than SPLIT_ASPECT times its height it is touching digits (segmentNumber's rule), however
      // surely the model reads the squeezed whole: any cut whose sides both read as digits holds.
      return width > SPLIT_ASPECT * height ? 0 : scoreOf(g);
    },
    splits: (g) => {
      const width = g.x1 - g.x0;
      const splits: [Group, Group][] = [];
      for (let t = 0; t < CUT_TRIES; t++) {
        const cut = g.x0 + Math.round(width * ((1 - CUT_WINDOW) / 2 + (CUT_WINDOW * (t + 0.5)) / CUT_TRIES));
        const runs = inkRuns(plane, g, cut);
        if (runs > CUT_MAX_RUNS) continue;
        const sides = cutAt(plane, g, cut, SPLIT_MIN_HEIGHT);
        if (sides && !(runs > 1 && sides.some(isNarrow))) splits.push(sides);
      }
      return splits;
    },
  };
}

type Found = { ok: true; plane: Plane; pieces: Group[]; groups: Group[]; isFlat: (g: Group) => boolean } | Exclude<NumberSegmentation, { ok: true }>;

/** The ink's pieces joined into digits, specks dropped; wide digits are not cut yet. */
function findDigits(ink: Float64Array, width: number, height: number, owner?: Int32Array): Found {
  const refusal = refuseNearEmpty(ink);
  if (refusal) return refusal;
  let peak = 0;
  for (let p = 0; p < ink.length; p++) if (ink[p] > peak) peak = ink[p];

  const floor = peak * NOISE_FLOOR;
  // Specks and the writing's height are judged on the connected ink, strokes known or not: a short
  // stroke that touches a digit (a touch-up) belongs to it, and only ink apart from the rest is a speck.
  const connected = labelPieces(ink, width, height, floor);
  let tallest = 0;
  for (const r of connected.roots) tallest = Math.max(tallest, connected.box(r).y1 - connected.box(r).y0);
  const specks = new Set(connected.roots.filter((r) => {
    const g = connected.box(r);
    return Math.max(g.x1 - g.x0, g.y1 - g.y0) < SPECK_SHARE * tallest;
  }));
  const { labels, roots, box } = owner ? strokePieces(ink, owner, width, height, floor) : connected;
  // A stroke's ink lies in one connected piece: the piece of any of its pixels (without strokes, a
  // piece is its own).
  const pieceOf = new Map<number, number>();
  if (owner) for (let p = 0; p < labels.length; p++) if (labels[p] && !pieceOf.has(labels[p]!)) pieceOf.set(labels[p]!, connected.labels[p]!);
  const writing: Group[] = [];
  for (const r of roots) {
    if (specks.has(pieceOf.get(r) ?? r)) continue;
    if (writing.push(box(r)) > MAX_PIECES) return tooMany();
  }
  const isFlat = (g: Group) => g.y1 - g.y0 < FLAT_SHARE * tallest;
  return { ok: true, plane: { ink, labels, width, height }, pieces: writing, groups: joinPieces(writing, isFlat), isFlat };
}

/** Each group through the contract, left to right; groups with too little ink to be a digit are dropped. */
function toDigits(plane: Plane, groups: Group[]): NumberSegmentation {
  const digits: SegmentedDigit[] = [];
  let speck: Refusal | undefined;
  for (const group of groups.sort((a, b) => a.x0 + a.x1 - (b.x0 + b.x1))) {
    const input = inkToModelInput(groupInk(plane, group), group.x1 - group.x0, group.y1 - group.y0);
    if (!input.ok) {
      speck = input;
      continue;
    }
    digits.push({ box: { x: group.x0, y: group.y0, width: group.x1 - group.x0, height: group.y1 - group.y0 }, pixels: input.pixels });
  }
  if (digits.length > MAX_DIGITS) return tooMany();
  if (digits.length === 0) return speck!;
  return { ok: true, digits };
}

function tooMany(): Extract<NumberSegmentation, { reason: 'too-many-digits' }> {
  return {
    ok: false,
    reason: 'too-many-digits',
    message: `The drawing holds more than ${MAX_DIGITS} digits (or marks); write at most ${MAX_DIGITS} digits in a row.`,
  };
}

const isWide = (g: Group) => g.x1 - g.x0 > SPLIT_ASPECT * (g.y1 - g.y0);
const isNarrow = (g: Group) => g.x1 - g.x0 < CUT_MIN_WIDTH * (g.y1 - g.y0);

/**
 * Touching digits: a group wider than SPLIT_ASPECT times its height is cut at its thinnest column,
 * and each side again while it is still too wide (at most `budget` parts).
 */
function splitWide(plane: Plane, g: Group, budget: number): Group[] {
  const sides = budget >= 2 && isWide(g) ? cutThinnest(plane, g) : null;
  if (!sides) return [g];
  const [left, right] = sides;
  const leftParts = splitWide(plane, left, budget - 1);
  return [...leftParts, ...splitWide(plane, right, budget - leftParts.length)];
}

/**
 * `g` cut at the column with the least ink in its middle SPLIT_WINDOW, if both sides are tall enough
 * to be digits. The sides' masses are left as they were: only the joining reads them.
 */
function cutThinnest(plane: Plane, g: Group): [Group, Group] | null {
  const width = g.x1 - g.x0;
  const column = new Float64Array(width);
  for (let y = g.y0; y < g.y1; y++) {
    for (let x = g.x0, p = y * plane.width + x; x < g.x1; x++, p++) if (inGroup(plane, g, x, p)) column[x - g.x0] += plane.ink[p]!;
  }
  const lo = Math.floor((width * (1 - SPLIT_WINDOW)) / 2);
  const hi = Math.ceil((width * (1 + SPLIT_WINDOW)) / 2);
  let cut = lo;
  for (let c = lo; c < hi; c++) if (column[c]! < column[cut]!) cut = c;
  return cutAt(plane, g, g.x0 + cut, SPLIT_MIN_HEIGHT);
}
