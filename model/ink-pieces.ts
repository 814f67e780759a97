// Connected pieces of ink on a plane, and the groups of pieces that make one digit: labelling, joining,
// cutting a group at a column and cutting its own ink out of its box (segment-number.ts decides when).
/** Ink pieces joined into one digit, restricted to the columns [from, to) once a wide piece is cut. */
export interface Group {
  labels: Set<number>;
  /** Total ink, and its x moment: the centre of mass is at `mx / mass`. */
  mass: number;
  mx: number;
  from: number;
  to: number;
  x0: number;
  x1: number; // exclusive
  y0: number;
  y1: number; // exclusive
}

export interface Plane {
  ink: Float64Array;
  labels: Int32Array;
  width: number;
  height: number;
}

/** Pieces of ink: a label per pixel (0 for none), the pieces' labels and each one's bounding box. */
export interface Pieces {
  labels: Int32Array;
  roots: number[];
  box: (root: number) => Group;
}

/**
 * Connected pieces of the pixels whose ink exceeds `floor` (8-connected). Two passes with union-find.
 */
export function labelPieces(ink: Float64Array, width: number, height: number, floor: number): Pieces {
  const labels = new Int32Array(width * height);
  const parent: number[] = [0];
  const find = (a: number) => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]!]!;
    return a;
  };
  const union = (a: number, b: number) => {
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      if (!(ink[p]! > floor)) continue;
      // Already visited neighbours: left, upper left, up, upper right (a label joins the first one seen).
      let label = 0;
      for (const q of [x > 0 ? p - 1 : -1, x > 0 && y > 0 ? p - width - 1 : -1, y > 0 ? p - width : -1, x < width - 1 && y > 0 ? p - width + 1 : -1]) {
        const l = q < 0 ? 0 : labels[q]!;
        if (!l) continue;
        if (label) union(label, l);
        else label = l;
      }
      if (!label) {
        label = parent.length;
        parent.push(label);
      }
      labels[p] = label;
    }
  }
  // Second pass: every pixel gets its piece's root.
  for (let p = 0; p < labels.length; p++) if (labels[p]) labels[p] = find(labels[p]!);
  return boxed(labels, parent.length, ink, width, height);
}

/**
 * The pieces drawn by each stroke (`owner`: 1 + the stroke that laid down each pixel's ink, see
 * paint-strokes.ts), over the ink above `floor`: strokes of two digits stay two pieces where they touch.
 */
export function strokePieces(ink: Float64Array, owner: Int32Array, width: number, height: number, floor: number): Pieces {
  const labels = new Int32Array(width * height);
  let count = 1;
  for (let p = 0; p < labels.length; p++) {
    if (ink[p]! > floor) {
      labels[p] = owner[p]!;
      count = Math.max(count, owner[p]! + 1);
    }
  }
  return boxed(labels, count, ink, width, height);
}

/** Each label's bounding box and ink moments (typed arrays, so countless specks cost no more than the picture). */
function boxed(labels: Int32Array, count: number, ink: Float64Array, width: number, height: number): Pieces {
  const x0 = new Int32Array(count).fill(width), x1 = new Int32Array(count), y0 = new Int32Array(count).fill(height), y1 = new Int32Array(count);
  const mass = new Float64Array(count), mx = new Float64Array(count);
  const seen = new Uint8Array(count);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const root = labels[p]!;
      if (!root) continue;
      seen[root] = 1;
      if (x < x0[root]!) x0[root] = x;
      if (x >= x1[root]!) x1[root] = x + 1;
      if (y < y0[root]!) y0[root] = y;
      y1[root] = y + 1;
      mass[root] += ink[p]!;
      mx[root] += x * ink[p]!;
    }
  }
  const roots = Array.from({ length: count - 1 }, (_, i) => i + 1).filter((r) => seen[r]);
  return { labels, roots, box: (r) => ({ labels: new Set([r]), mass: mass[r]!, mx: mx[r]!, from: 0, to: width, x0: x0[r]!, x1: x1[r]!, y0: y0[r]!, y1: y1[r]! }) };
}

export function join(a: Group, b: Group): Group {
  return {
    labels: new Set([...a.labels, ...b.labels]),
    mass: a.mass + b.mass,
    mx: a.mx + b.mx,
    from: 0,
    to: Math.max(a.to, b.to),
    x0: Math.min(a.x0, b.x0),
    x1: Math.max(a.x1, b.x1),
    y0: Math.min(a.y0, b.y0),
    y1: Math.max(a.y1, b.y1),
  };
}

const overlap = (a: Group, b: Group) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);

/**
 * Pieces of one digit together: a piece whose centre of mass lies within another's columns joins it
 * (until none does), then each flat piece joins the digit it overlaps most horizontally, if any.
 */
export function joinPieces(pieces: Group[], isFlat: (g: Group) => boolean): Group[] {
  const groups = pieces.filter((g) => !isFlat(g));
  const within = (a: Group, b: Group) => a.mx / a.mass >= b.x0 && a.mx / a.mass < b.x1;
  for (let joined = true; joined; ) {
    joined = false;
    for (let i = 0; i < groups.length && !joined; i++) {
      for (let j = i + 1; j < groups.length && !joined; j++) {
        if (!within(groups[i]!, groups[j]!) && !within(groups[j]!, groups[i]!)) continue;
        groups[i] = join(groups[i]!, groups[j]!);
        groups.splice(j, 1);
        joined = true;
      }
    }
  }
  const alone: Group[] = [];
  for (const flat of pieces.filter(isFlat)) {
    let best = -1;
    for (let i = 0; i < groups.length; i++) if (overlap(flat, groups[i]!) > 0 && (best < 0 || overlap(flat, groups[i]!) > overlap(flat, groups[best]!))) best = i;
    if (best >= 0) groups[best] = join(groups[best]!, flat);
    else alone.push(flat);
  }
  return [...groups, ...alone];
}

export const inGroup = (plane: Plane, g: Group, x: number, p: number) => {
  if (x < g.from || x >= g.to) return false;
  const label = plane.labels[p]!;
  return label !== 0 && g.labels.has(label);
};

/** The group's box shrunk to the ink it holds; null when it holds none. */
function tighten(plane: Plane, g: Group): Group | null {
  let x0 = Infinity, x1 = -1, y0 = Infinity, y1 = -1;
  for (let y = g.y0; y < g.y1; y++) {
    for (let x = g.x0, p = y * plane.width + x; x < g.x1; x++, p++) {
      if (!inGroup(plane, g, x, p)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : { ...g, x0, x1: x1 + 1, y0, y1: y1 + 1 };
}

/** How many separate runs of the group's ink column `x` crosses, top to bottom. */
export function inkRuns(plane: Plane, g: Group, x: number): number {
  let runs = 0;
  let inside = false;
  for (let y = g.y0, p = y * plane.width + x; y < g.y1; y++, p += plane.width) {
    const ink = inGroup(plane, g, x, p);
    if (ink && !inside) runs++;
    inside = ink;
  }
  return runs;
}

/** The group cut at column `cut`, if both sides are at least `minHeight` of its height tall. */
export function cutAt(plane: Plane, g: Group, cut: number, minHeight: number): [Group, Group] | null {
  const left = tighten(plane, { ...g, to: cut });
  const right = tighten(plane, { ...g, from: cut });
  const tallEnough = (part: Group | null): part is Group => !!part && part.y1 - part.y0 >= minHeight * (g.y1 - g.y0);
  return tallEnough(left) && tallEnough(right) ? [left, right] : null;
}

/** The group's own ink, cut out of its box: what the contract would see had it been drawn alone. */
export function groupInk(plane: Plane, g: Group): Float64Array {
  const w = g.x1 - g.x0;
  const out = new Float64Array(w * (g.y1 - g.y0));
  for (let y = g.y0; y < g.y1; y++) {
    for (let x = g.x0, p = y * plane.width + x; x < g.x1; x++, p++) {
      if (inGroup(plane, g, x, p)) out[(y - g.y0) * w + x - g.x0] = plane.ink[p]!;
    }
  }
  return out;
}
