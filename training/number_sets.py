"""Numbers of 2-4 digits written by one UNIPEN writer each, drawn the way a wide page canvas would
export them, to measure how well POST /api/numbers reads a row of digits.

    python3 -m training.number_sets --split test --out .training-cache/numbers-test

Each number takes 2-4 digits of one writer of the split, in that writer's own shapes and
proportions, at about one height (give or take 12%), on a common baseline give or take a
little, and leaves a gap between neighbours like people leave: usually a fifth of the digits' height
or so, sometimes crowded so that boxes overlap or strokes touch. The row is drawn with one of the
page's round pens at a size people write at, on a PAGE_WIDTH x PAGE_HEIGHT canvas, ink on white,
anti-aliased (training/strokes.py's brush). The manifest lists each file's digits, the writer and
collection, the strokes in canvas pixels and the pen (so a browser can draw the same number), and
the sha256 of the scripts that drew it.
"""
import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from . import unipen
from .strokes import MAX_PEN_SHARE, PEN_RANGE, as_arrays, paint
from .writer_sets import generator_sha256

SEED = 4242
# The page's number strip (frontend/src/page-store.ts): twice as wide as tall.
PAGE_WIDTH, PAGE_HEIGHT = 560, 280
DIGITS_RANGE = (2, 4)
# The gap between neighbouring digits' ink, as a share of the digit height; in CROWDED_SHARE of the
# gaps the digits are crowded instead: their ink boxes overlap by up to CROWDED_RANGE's share of the
# narrower one's width, or nearly meet, and their strokes sometimes touch.
GAP_RANGE = (0.05, 0.5)
CROWDED_SHARE = 0.15
CROWDED_RANGE = (-0.2, 0.03)
# Each digit's height varies by up to this factor around the number's; its bottom by this share of it.
SIZE_JITTER = 1.12
BASELINE_JITTER = 0.06
# The number's digit height on the page, in page pixels (the single-digit page draws 90-260 px on 280).
HEIGHT_RANGE = (70.0, 220.0)
INK, PAPER = (28, 39, 51), (255, 255, 255)


def compose(digits: list[dict], height: float, pen: float, rng: np.random.Generator) -> list[np.ndarray]:
    """The digits' strokes laid out left to right in page pixels, each `height` tall give or take
    SIZE_JITTER, the gaps measured between their ink (the pen's width included)."""
    laid, x = [], 0.0
    previous_width = None
    for strokes in (as_arrays(d["strokes"]) for d in digits):
        points = np.concatenate(strokes)
        lo, hi = points.min(0), points.max(0)
        scale = height / max(hi[1] - lo[1], 1e-6) * float(np.exp(rng.uniform(-np.log(SIZE_JITTER), np.log(SIZE_JITTER))))
        width = (hi[0] - lo[0]) * scale
        if previous_width is not None:
            if rng.random() < CROWDED_SHARE:  # overlapping by up to a share of the narrower digit's width
                gap = rng.uniform(*CROWDED_RANGE) * max(min(previous_width, width), pen)
            else:
                gap = rng.uniform(*GAP_RANGE) * height
            x += gap + pen  # centre lines `pen` further apart than the ink's edges
        bottom = rng.normal(0, BASELINE_JITTER) * height
        origin = np.array([x, bottom - (hi[1] - lo[1]) * scale])
        laid += [(s - lo) * scale + origin for s in strokes]
        x += width
        previous_width = width
    return laid


def render(digits: list[dict], rng: np.random.Generator, supersample: int = 2) -> tuple[Image.Image, list[np.ndarray], float]:
    """The row as the page would export it: a random digit height and pen, placed at random on the
    canvas. Returns the picture, and the strokes in canvas pixels with the pen, for a browser to draw."""
    height = rng.uniform(*HEIGHT_RANGE)
    pen = rng.uniform(PEN_RANGE[0], min(PEN_RANGE[1], MAX_PEN_SHARE * height))
    strokes = compose(digits, height - pen, pen, rng)
    points = np.concatenate(strokes)
    low, extent = points.min(0), np.ptp(points, axis=0)
    # A row too long for the canvas is drawn smaller, pen and all, with a small margin.
    shrink = min(1.0, (PAGE_WIDTH - 10) / (extent[0] + pen), (PAGE_HEIGHT - 10) / (extent[1] + pen))
    strokes = [(s - low) * shrink for s in strokes]
    pen *= shrink
    size = extent * shrink + pen
    offset = np.array([rng.uniform(4, PAGE_WIDTH - size[0] - 4), rng.uniform(4, PAGE_HEIGHT - size[1] - 4)]) + pen / 2
    s = supersample
    mask = Image.new("L", (PAGE_WIDTH * s, PAGE_HEIGHT * s), 0)
    paint(ImageDraw.Draw(mask), [(p + offset) * s for p in strokes], pen * s, 255)
    alpha = np.asarray(mask.resize((PAGE_WIDTH, PAGE_HEIGHT), Image.BOX), dtype=np.float64)[..., None] / 255.0
    rgb = np.array(PAPER, dtype=np.float64) * (1 - alpha) + np.array(INK, dtype=np.float64) * alpha
    return Image.fromarray(np.round(rgb).astype(np.uint8), "RGB"), [p + offset for p in strokes], pen


def generate(out: Path, split: str, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.png"):  # the folder holds exactly one set
        stale.unlink()
    by_writer: dict[str, list[dict]] = defaultdict(list)
    for item in unipen.load("digits", split):
        by_writer[unipen.writer_of(item)].append(item)
    writers = sorted(w for w, items in by_writer.items() if len(items) >= DIGITS_RANGE[1])
    manifest = []
    for i in range(count):
        writer = writers[rng.integers(len(writers))]
        items = by_writer[writer]
        k = int(rng.integers(DIGITS_RANGE[0], DIGITS_RANGE[1] + 1))
        digits = [items[j] for j in rng.choice(len(items), size=k, replace=False)]
        text = "".join(str(d["label"]) for d in digits)
        name = f"{i:05d}-{text}.png"
        image, strokes, pen = render(digits, rng)
        image.save(out / name, optimize=False, compress_level=1)
        manifest.append({"file": name, "text": text, "source": digits[0]["source"], "writer": writer, "pen": round(pen, 2),
                         "strokes": [np.round(s, 1).tolist() for s in strokes]})
    (out / "manifest.json").write_text(json.dumps(
        {"split": split, "seed": seed, "generator": generator_sha256(__file__), "items": manifest}, indent=0) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)write the PNGs and manifest.json into")
    parser.add_argument("--split", default="test", choices=list(unipen.SPLITS), help="whose digits to compose")
    parser.add_argument("--count", type=int, default=1000, help="how many numbers")
    parser.add_argument("--seed", type=int, default=SEED, help="seeds the choice of digits, the layout and the pen")
    args = parser.parse_args()
    generate(args.out, args.split, args.count, args.seed)


if __name__ == "__main__":
    main()
