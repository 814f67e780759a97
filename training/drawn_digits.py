"""Generates the project's drawn-digit evaluation set: canvas-style PNGs of digits the model never trained on.

Each picture re-draws an MNIST *test* digit the way a person draws on a canvas: the digit is
thinned to its skeleton, then stroked with a round brush of one width, anti-aliased, at a random
size, position and slant, in one of several colour schemes (including transparent backgrounds).

    python3 -m training.drawn_digits --out .training-cache/drawn-eval --count 1000

The manifest records the sha256 of this script, so a set drawn by an older version is known stale
(training/drawn-digits.ts regenerates it).
"""
import argparse
import hashlib
import json
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from . import mnist

# (name, background RGBA or None for transparent, ink RGB)
SCHEMES = [
    ("black-on-white", (255, 255, 255, 255), (0, 0, 0)),
    ("white-on-black", (0, 0, 0, 255), (255, 255, 255)),
    ("blue-on-white", (255, 255, 255, 255), (30, 58, 138)),
    ("red-on-yellow", (254, 249, 195, 255), (220, 38, 38)),
    ("pencil-on-paper", (245, 245, 240, 255), (85, 85, 85)),
    ("green-on-slate", (17, 24, 39, 255), (22, 163, 74)),
    ("black-on-transparent", None, (0, 0, 0)),
    ("white-on-transparent", None, (255, 255, 255)),
]
CANVASES = [(280, 280), (280, 280), (400, 400), (200, 200), (480, 320), (300, 420)]
SUPERSAMPLE = 3
EVAL_SEED = 7  # the drawn-digit evaluation set: the first 100 of each digit in this seed's order


def thin(image: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of a boolean image to a one-pixel-wide skeleton."""
    img = image.copy()
    while True:
        changed = False
        for step in (0, 1):
            p = np.pad(img, 1)
            n = [p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:], p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]]
            neighbours = sum(v.astype(np.uint8) for v in n)
            transitions = sum(((~n[i]) & n[(i + 1) % 8]).astype(np.uint8) for i in range(8))
            p2, p4, p6, p8 = n[0], n[2], n[4], n[6]
            if step == 0:
                keep = (p2 & p4 & p6) | (p4 & p6 & p8)
            else:
                keep = (p2 & p4 & p8) | (p2 & p6 & p8)
            remove = img & (neighbours >= 2) & (neighbours <= 6) & (transitions == 1) & ~keep
            if remove.any():
                img[remove] = False
                changed = True
        if not changed:
            return img


def skeleton_segments(digit: np.ndarray, upscale: int = 4) -> np.ndarray:
    """Line segments [(y0, x0, y1, x1)] joining 8-connected skeleton pixels of an upscaled digit."""
    big = Image.fromarray(digit).resize((28 * upscale, 28 * upscale), Image.BILINEAR)
    skeleton = thin(np.asarray(big) > 100)
    ys, xs = np.nonzero(skeleton)
    on = set(zip(ys.tolist(), xs.tolist()))
    segments = [(y, x, y + dy, x + dx) for y, x in on
                for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)) if (y + dy, x + dx) in on]
    points = [(y, x, y, x) for y, x in on]  # isolated pixels still get a dot
    return np.array(segments + points, dtype=np.float64)


def render(digit: np.ndarray, rng: np.random.Generator, hollow: bool = False) -> tuple[Image.Image, dict]:
    width, height = CANVASES[rng.integers(len(CANVASES))]
    scheme_name, background, ink = SCHEMES[rng.integers(len(SCHEMES))]
    seg = skeleton_segments(digit)
    pts = np.concatenate([seg[:, :2], seg[:, 2:]])
    # Slant the skeleton around its centre, then scale it to the chosen digit height.
    angle = math.radians(rng.uniform(-12, 12))
    centre = pts.mean(0)
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    seg = np.concatenate([(seg[:, :2] - centre) @ rot.T, (seg[:, 2:] - centre) @ rot.T], 1)
    pts = np.concatenate([seg[:, :2], seg[:, 2:]])
    span = pts.max(0) - pts.min(0)
    digit_height = rng.uniform(0.3, 0.85) * min(width, height)
    scale = digit_height / max(span[0], 1.0)
    brush = max(2.0, digit_height * (rng.uniform(0.14, 0.2) if hollow else rng.uniform(0.05, 0.16)))
    extent = span * scale + brush
    # Random position with the whole stroke inside the canvas.
    top = rng.uniform(0, max(height - extent[0], 0)) + brush / 2 - pts.min(0)[0] * scale
    left = rng.uniform(0, max(width - extent[1], 0)) + brush / 2 - pts.min(0)[1] * scale

    s = SUPERSAMPLE
    mask = Image.new("L", (width * s, height * s), 0)
    draw = ImageDraw.Draw(mask)

    def stroke(r: float, fill: int) -> None:
        for y0, x0, y1, x1 in seg:
            a = ((x0 * scale + left) * s, (y0 * scale + top) * s)
            b = ((x1 * scale + left) * s, (y1 * scale + top) * s)
            draw.line([a, b], fill=fill, width=int(round(2 * r)))
            for cx, cy in (a, b):  # round caps and joins
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)

    stroke(brush * s / 2, 255)
    if hollow:  # outlined "bubble" strokes: a style MNIST lacks, used to test retraining
        stroke(brush * s / 2 - max(2.0, brush * s * 0.15), 0)
    alpha = np.asarray(mask.resize((width, height), Image.BOX), dtype=np.float64) / 255.0

    rgba = np.zeros((height, width, 4), dtype=np.float64)
    if background is None:
        rgba[..., :3] = ink
        rgba[..., 3] = alpha * 255
    else:
        bg = np.array(background[:3], dtype=np.float64)
        rgba[..., :3] = bg * (1 - alpha[..., None]) + np.array(ink, dtype=np.float64) * alpha[..., None]
        rgba[..., 3] = 255
    style = {"canvas": [width, height], "scheme": scheme_name, "hollow": hollow, "brush": round(brush, 1),
             "digitHeight": round(digit_height, 1), "slantDegrees": round(math.degrees(angle), 1)}
    return Image.fromarray(np.round(rgba).astype(np.uint8), "RGBA"), style


def chosen_digits(count: int, rng: np.random.Generator, offset: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MNIST test images and labels, and `count` indices, count/10 per digit, shuffled.
    `offset` skips that many per digit of the seed's order, so sets with one seed can be disjoint."""
    images, labels = mnist.load("t10k")  # never seen in training
    per_digit = count // 10
    chosen = np.concatenate([rng.permutation(np.flatnonzero(labels == d))[offset:offset + per_digit]
                             for d in range(10)])
    rng.shuffle(chosen)
    return images, labels, chosen


def generate(out: Path, count: int, seed: int, hollow: bool = False, offset: int = 0) -> None:
    rng = np.random.default_rng(seed)
    images, labels, chosen = chosen_digits(count, rng, offset)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.png"):  # the folder holds exactly one set
        stale.unlink()
    manifest = []
    for i, index in enumerate(chosen):
        picture, style = render(images[index], rng, hollow)
        name = f"{i:04d}-digit{labels[index]}.png"
        # Keep opaque pictures as RGB so the files stay small; transparency needs RGBA.
        (picture if style["scheme"].endswith("transparent") else picture.convert("RGB")).save(out / name, optimize=True)
        manifest.append({"file": name, "label": int(labels[index]), "mnistTestIndex": int(index), **style})
    generator = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    (out / "manifest.json").write_text(
        json.dumps({"seed": seed, "source": "MNIST test set", "generator": generator, "items": manifest}, indent=1) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=EVAL_SEED)
    parser.add_argument("--hollow", action="store_true", help="outlined strokes, a style MNIST lacks")
    parser.add_argument("--offset", type=int, default=0, help="skip this many digits of each class")
    args = parser.parse_args()
    generate(args.out, args.count, args.seed, args.hollow, args.offset)
