"""Pen strokes drawn the way the page draws them, and turned into the model's 28x28 input.

The page paints strokes with a round brush of 8-40 px on a 280 px square and hands the picture to
the input contract, which crops the ink, fits it into 20x20 and centres it by mass. `to_input`
does the same for a list of strokes without painting the whole canvas: it paints only the ink's
bounding box at a resolution well above the 20 px the contract shrinks it to, then runs the
contract's own fitting and centring (training/preprocess.py), so training sees what is served.

Strokes are lists of [x, y] points, y growing downwards, in any unit.
"""
import math

import numpy as np
from PIL import Image, ImageDraw

from .preprocess import fit_and_centre

# The page's pen sizes and its raster side (frontend/src/app.tsx, frontend/src/rasterize.ts).
PAGE_SIDE = 280
PEN_RANGE = (8.0, 40.0)
# How large people draw on the page: the drawing's longer side, in page pixels. Nobody writes a
# small digit with a fat pen (it would be a blob); the pen stays within this share of the side.
DRAWN_SIDE_RANGE = (90.0, 260.0)
MAX_PEN_SHARE = 0.3
# Long side of the ink box painted for training: 6x or more the contract's 20 px.
PAINT_SIDE = 120


def as_arrays(strokes) -> list[np.ndarray]:
    return [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes if len(s)]


def paint(draw: ImageDraw.ImageDraw, strokes: list[np.ndarray], pen: float, fill) -> None:
    """Round brush: a line of width `pen` through the points, a disc at every point (caps and joins)."""
    r = pen / 2
    for s in strokes:
        points = [tuple(p) for p in s]
        if len(points) > 1:
            draw.line(points, fill=fill, width=max(1, int(round(pen))))
        for x, y in points:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def vary(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """How people vary one shape: slant, rotation, proportions and a little tremor."""
    angle = math.radians(rng.uniform(-10, 10))
    shear = rng.uniform(-0.35, 0.35)
    aspect = math.exp(rng.uniform(-0.25, 0.25))
    cos, sin = math.cos(angle), math.sin(angle)
    m = np.array([[cos, -sin], [sin, cos]]) @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag([aspect, 1 / aspect])
    points = np.concatenate(strokes)
    centre = (points.min(0) + points.max(0)) / 2
    side = max(float(np.ptp(points, axis=0).max()), 1.0)
    tremor = rng.uniform(0, 0.012) * side
    return [(s - centre) @ m.T + rng.normal(0, tremor, s.shape) for s in strokes]


def page_pen_and_side(rng: np.random.Generator) -> tuple[float, float]:
    """A pen of the page's and the size a person draws at with it, in page pixels."""
    pen = rng.uniform(*PEN_RANGE)
    low, high = DRAWN_SIDE_RANGE
    return pen, rng.uniform(max(low, pen / MAX_PEN_SHARE), high)


def _line(a, b, points: int = 12) -> np.ndarray:
    return np.linspace(a, b, points)


def with_style(strokes: list[np.ndarray], label: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Styles of writing a digit that the collections hold few of but many people use: a zero with
    a slash (or a bar) through it, a one with a long flag and often a foot, a seven crossed at the
    middle. Any other digit, or a one already drawn with a flag, is returned as it is."""
    points = np.concatenate(strokes)
    (x0, y0), (x1, y1) = points.min(0), points.max(0)
    w, h = x1 - x0, y1 - y0
    jitter = lambda: rng.normal(0, 0.03 * max(w, h, 1.0), 2)  # noqa: E731
    if label == 0:
        if rng.random() < 0.7:  # a slash from below left to above right, a little past the oval
            a, b = np.array([x0 - 0.1 * w, y1 + 0.05 * h]), np.array([x1 + 0.1 * w, y0 - 0.05 * h])
        else:  # a bar across the middle
            middle = (y0 + y1) / 2
            a, b = np.array([x0 - 0.12 * w, middle]), np.array([x1 + 0.12 * w, middle])
        return strokes + [_line(a + jitter(), b + jitter())]
    if label == 1 and w < 0.35 * h:
        top, bottom = points[points[:, 1].argmin()], points[points[:, 1].argmax()]
        angle = math.radians(rng.uniform(25, 60))  # from the vertical: a 7's bar lies nearer flat
        length = rng.uniform(0.25, 0.5) * h
        flag = _line(top + [-math.sin(angle) * length, math.cos(angle) * length] + jitter(), top)
        styled = [flag] + strokes
        if rng.random() < 0.5:
            half = rng.uniform(0.15, 0.3) * h
            styled.append(_line(bottom + [-half, 0] + jitter(), bottom + [half, 0] + jitter()))
        return styled
    if label == 7:
        middle = y0 + rng.uniform(0.45, 0.6) * h
        near = points[np.abs(points[:, 1] - middle) < 0.08 * max(h, 1.0)]
        if len(near) == 0:
            return strokes
        x, half = near[:, 0].mean(), rng.uniform(0.15, 0.3) * max(w, 0.5 * h)
        return strokes + [_line(np.array([x - half, middle]) + jitter(), np.array([x + half, middle]) + jitter())]
    return strokes


def relative_pen(rng: np.random.Generator) -> float:
    """Pen width over the drawing's longer side, as the page's pens and people's sizes give it."""
    pen, side = page_pen_and_side(rng)
    return pen / side


def to_input(strokes, pen_fraction: float) -> np.ndarray | None:
    """float32 [28, 28] model input of strokes drawn with a pen `pen_fraction` of the inked longer side."""
    strokes = as_arrays(strokes)
    if not strokes:
        return None
    points = np.concatenate(strokes)
    low = points.min(0)
    side = max(float(np.ptp(points, axis=0).max()), 1e-6)
    pen = pen_fraction * side / (1 - pen_fraction)  # a share of the inked side, pen included
    scale = PAINT_SIDE / (side + pen)
    margin = pen * scale / 2 + 1
    size = np.ceil(np.ptp(points, axis=0) * scale + 2 * margin).astype(int) + 1
    canvas = Image.new("L", (int(size[0]), int(size[1])), 0)
    paint(ImageDraw.Draw(canvas), [(s - low) * scale + margin for s in strokes], pen * scale, 255)
    ink = np.asarray(canvas, dtype=np.float64) / 255.0
    return fit_and_centre(ink) if ink.any() else None


def render_page(strokes, rng: np.random.Generator, ink=(28, 39, 51), paper=(255, 255, 255),
                supersample: int = 2) -> Image.Image:
    """The drawing as the page would export it: a 280 px RGB square, the strokes at a random size,
    position and pen, anti-aliased (painted at `supersample`x, box-filtered down)."""
    strokes = as_arrays(strokes)
    points = np.concatenate(strokes)
    pen, side = page_pen_and_side(rng)
    scale = (side - pen) / max(float(np.ptp(points, axis=0).max()), 1e-6)
    extent = np.ptp(points, axis=0) * scale + pen
    offset = np.array([rng.uniform(0, max(PAGE_SIDE - e, 0)) for e in extent]) + pen / 2
    s = supersample
    mask = Image.new("L", (PAGE_SIDE * s, PAGE_SIDE * s), 0)
    paint(ImageDraw.Draw(mask), [((p - points.min(0)) * scale + offset) * s for p in strokes], pen * s, 255)
    alpha = np.asarray(mask.resize((PAGE_SIDE, PAGE_SIDE), Image.BOX), dtype=np.float64)[..., None] / 255.0
    rgb = np.array(paper, dtype=np.float64) * (1 - alpha) + np.array(ink, dtype=np.float64) * alpha
    return Image.fromarray(np.round(rgb).astype(np.uint8), "RGB")


def not_digit_shape(rng: np.random.Generator) -> list[np.ndarray]:
    """A scribble or a shape no digit is drawn like: zigzags, tangles, stars, grids, spirals, boxes."""
    kind = rng.integers(6)
    if kind == 0:  # zigzag of 5-9 sharp turns
        n = rng.integers(6, 11)
        x = np.linspace(0, 1, n)
        y = np.where(np.arange(n) % 2 == 0, 0.0, 1.0) * rng.uniform(0.3, 1.0) + rng.normal(0, 0.05, n)
        pts = np.stack([x, y], 1) if rng.random() < 0.5 else np.stack([y, x], 1)
        return [pts]
    if kind == 1:  # a tangle: a smoothed random walk that crosses itself
        steps = rng.normal(0, 1, (rng.integers(25, 60), 2))
        walk = np.cumsum(steps, 0)
        kernel = np.ones(4) / 4
        walk = np.stack([np.convolve(walk[:, i], kernel, mode="valid") for i in range(2)], 1)
        extent = np.ptp(walk, axis=0)
        if extent.min() < 0.4 * extent.max():  # a long thin walk is drawn like a 1: try again
            return not_digit_shape(rng)
        return [walk]
    if kind == 2:  # a star of 5-7 points drawn in one stroke
        k = int(rng.choice([5, 7]))
        step = 2 if k == 5 else 3
        a = np.arange(k + 1) * step * 2 * math.pi / k + rng.uniform(0, math.pi)
        return [np.stack([np.cos(a), np.sin(a)], 1)]
    if kind == 3:  # a grid: # or a ladder
        h = rng.integers(2, 4)
        v = rng.integers(2, 4)
        lines = [np.array([[0.0, y], [1.0, y]]) for y in np.linspace(0.2, 0.8, h)]
        lines += [np.array([[x, 0.0], [x, 1.0]]) for x in np.linspace(0.2, 0.8, v)]
        return [line + rng.normal(0, 0.03, line.shape) for line in lines]
    if kind == 4:  # a spiral of two or more turns
        t = np.linspace(0, rng.uniform(2.2, 4) * 2 * math.pi, 80)
        r = 0.1 + t / t.max()
        return [np.stack([r * np.cos(t), r * np.sin(t)], 1)]
    # a box, a triangle or a box with its diagonals
    corners = {3: 3, 4: 4}[int(rng.choice([3, 4]))]
    a = np.arange(corners + 1) * 2 * math.pi / corners + math.pi / 4
    outline = np.stack([np.cos(a), np.sin(a)], 1)
    shapes = [outline]
    if corners == 4 and rng.random() < 0.6:
        shapes += [outline[[0, 2]], outline[[1, 3]]]
    return shapes
