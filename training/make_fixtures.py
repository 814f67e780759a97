"""Writes model/fixtures/*.png: small, deterministic canvas-like drawings for the input-contract tests.

Strokes are drawn with a round brush at 4x and box-downsampled, so edges are anti-aliased like a
browser canvas. The set covers the colour schemes and PNG colour types people's exports come in.
    /usr/bin/python3 training/make_fixtures.py
"""

import io
import math
import os

import numpy as np
from PIL import Image, ImageDraw

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'model', 'fixtures')
SUPERSAMPLE = 4

# Polylines in a unit box (x right, y down), one list of strokes per digit.
_ELLIPSE = [(0.5 + 0.3 * math.sin(t / 24 * 2 * math.pi), 0.5 - 0.42 * math.cos(t / 24 * 2 * math.pi)) for t in range(25)]
DIGITS = {
    0: [_ELLIPSE],
    1: [[(0.38, 0.22), (0.55, 0.08), (0.55, 0.92)]],
    2: [[(0.25, 0.3), (0.35, 0.15), (0.55, 0.1), (0.72, 0.2), (0.72, 0.38), (0.25, 0.9), (0.78, 0.9)]],
    3: [[(0.25, 0.15), (0.7, 0.15), (0.45, 0.45), (0.7, 0.6), (0.72, 0.8), (0.5, 0.92), (0.25, 0.85)]],
    4: [[(0.5, 0.1), (0.2, 0.65), (0.8, 0.65)], [(0.62, 0.35), (0.62, 0.92)]],
    5: [[(0.72, 0.12), (0.32, 0.12), (0.28, 0.45), (0.55, 0.42), (0.72, 0.58), (0.7, 0.8), (0.5, 0.9), (0.25, 0.85)]],
    6: [[(0.65, 0.1), (0.4, 0.35), (0.28, 0.65), (0.35, 0.88), (0.6, 0.9), (0.72, 0.7), (0.6, 0.52), (0.33, 0.6)]],
    7: [[(0.2, 0.12), (0.8, 0.12), (0.4, 0.9)]],
    8: [[(0.5, 0.5), (0.7, 0.3), (0.5, 0.1), (0.3, 0.3), (0.5, 0.5), (0.72, 0.72), (0.5, 0.92), (0.28, 0.72), (0.5, 0.5)]],
    9: [[(0.7, 0.35), (0.55, 0.12), (0.32, 0.18), (0.3, 0.38), (0.5, 0.48), (0.7, 0.35), (0.65, 0.9)]],
}


def ink_mask(size, strokes, box, width):
    """Anti-aliased coverage mask (uint8 'L') of round-brush strokes scaled into box = (x, y, w, h)."""
    w, h = size
    big = Image.new('L', (w * SUPERSAMPLE, h * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    bx, by, bw, bh = box
    r = width * SUPERSAMPLE / 2
    for stroke in strokes:
        pts = [((bx + u * bw) * SUPERSAMPLE, (by + v * bh) * SUPERSAMPLE) for u, v in stroke]
        if len(pts) > 1:
            draw.line(pts, fill=255, width=round(width * SUPERSAMPLE), joint='curve')
        for x, y in pts:  # round caps and joints
            draw.ellipse([x - r, y - r, x + r, y + r], fill=255)
    return big.reduce(SUPERSAMPLE)


def paint(mask, background, ink):
    """Composites ink over an opaque background through the mask; returns RGB uint8 [H, W, 3]."""
    m = np.asarray(mask, dtype=np.float64)[..., None] / 255.0
    out = (1 - m) * np.array(background, dtype=np.float64) + m * np.array(ink, dtype=np.float64)
    return np.round(out).astype(np.uint8)


def transparent(mask, ink):
    """Ink on a transparent canvas: colour everywhere, coverage in alpha."""
    a = np.asarray(mask, dtype=np.uint8)
    rgb = np.broadcast_to(np.array(ink, dtype=np.uint8), a.shape + (3,))
    return Image.fromarray(np.dstack([rgb, a]), 'RGBA')


def jpeg_round_trip(img, quality):
    buf = io.BytesIO()
    img.save(buf, 'JPEG', quality=quality)
    buf.seek(0)
    with Image.open(buf) as back:
        return back.convert('RGB')


def fixtures():
    """name -> PIL image. Box and stroke width in canvas pixels."""
    white, black = (255, 255, 255), (0, 0, 0)
    s280 = (280, 280)
    out = {}

    m = ink_mask(s280, DIGITS[7], (60, 40, 160, 200), 18)
    out['seven-black-on-white-280.png'] = Image.fromarray(paint(m, white, black)).convert('L')
    m = ink_mask(s280, DIGITS[3], (70, 40, 140, 200), 16)
    out['three-white-on-black-280.png'] = Image.fromarray(paint(m, black, white))
    m = ink_mask(s280, DIGITS[2], (50, 50, 170, 190), 14)
    out['two-blue-on-yellow-280.png'] = Image.fromarray(paint(m, (250, 230, 80), (30, 60, 200)))
    m = ink_mask(s280, DIGITS[4], (40, 30, 200, 220), 20)
    out['four-transparent-black-ink-280.png'] = transparent(m, black)
    m = ink_mask((200, 200), DIGITS[5], (40, 20, 120, 160), 12)
    out['five-transparent-white-ink-200.png'] = transparent(m, white)
    m = ink_mask(s280, DIGITS[1], (100, 30, 80, 220), 4)
    out['one-thin-280.png'] = Image.fromarray(paint(m, white, black)).convert('L')
    m = ink_mask(s280, DIGITS[6], (200, 190, 50, 70), 6)
    out['six-small-off-centre-280.png'] = Image.fromarray(paint(m, white, black)).convert('L')
    m = ink_mask((160, 160), DIGITS[8], (40, 15, 80, 130), 10)
    out['eight-jpeg-noise-160.png'] = jpeg_round_trip(Image.fromarray(paint(m, white, (20, 20, 20))), 35)
    m = ink_mask((400, 200), DIGITS[0], (150, 20, 110, 160), 26)
    out['zero-wide-canvas-400x200.png'] = Image.fromarray(paint(m, (30, 30, 30), (240, 240, 240))).quantize(8)
    m = ink_mask((150, 300), DIGITS[9], (20, 60, 110, 170), 10)
    rgb = paint(m, (128, 128, 128), (200, 20, 20))
    alpha = np.full(rgb.shape[:2] + (1,), 255, dtype=np.uint8)
    out['nine-red-on-grey-tall-150x300.png'] = Image.fromarray(np.dstack([rgb, alpha]), 'RGBA')
    m = ink_mask((120, 120), DIGITS[7], (30, 15, 60, 90), 8)
    grey16 = (255 - np.asarray(m, dtype=np.uint32)) * 257  # 16-bit black on white
    out['seven-16-bit-grey-120.png'] = Image.fromarray(grey16.astype(np.uint16), 'I;16')
    out['empty-280.png'] = Image.new('L', s280, 255)
    m = ink_mask(s280, [[(0.5, 0.5)]], (100, 120, 10, 10), 3)
    out['dot-280.png'] = Image.fromarray(paint(m, white, black)).convert('L')
    rng = np.random.default_rng(7)
    noise = 235 + rng.integers(0, 20, size=(96, 96), dtype=np.int64)  # texture below MIN_CONTRAST
    out['faint-noise-96.png'] = Image.fromarray(noise.astype(np.uint8), 'L')
    return out


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, img in fixtures().items():
        path = os.path.join(OUT_DIR, name)
        img.save(path, optimize=True)
        print(f'{os.path.getsize(path):6d} {img.mode:5s} {name}')


if __name__ == '__main__':
    main()
