"""The model's input contract in Python: the twin of model/input-contract.ts.

Turns a drawing (an RGBA array of any size, any ink and background colours) into the 28x28
picture MNIST is made of: white ink on black, 0..1, the digit fitted into 20x20 and centred by
its centre of mass. model/preprocess-parity.test.ts holds this and the TypeScript to 1e-3, so
every step is float64 and mirrors the TypeScript operation for operation; see model/README.md.

Importing this module has no side effects. As a script it prints one JSON line per image file:
    python3 training/preprocess.py FILE.png ...
"""

import json
import math
import sys

import numpy as np

MODEL_INPUT_SIZE = 28
FIT_SIZE = 20
TRANSPARENT_BACKGROUND_ALPHA = 0.5
MIN_CONTRAST = 0.15
NOISE_FLOOR = 0.1
MIN_INK_PIXELS = 2
MIN_INK_FRACTION = 0.0002
CENTRE_TIE_EPSILON = 1e-9


def to_model_input(rgba):
    """rgba: uint8 array [H, W, 4]. Returns (float32 [28, 28], None) or (None, 'no-ink' | 'too-little-ink')."""
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f'expected a uint8 array [H, W, 4], got {rgba.dtype} {rgba.shape}')
    height, width = rgba.shape[:2]
    if width == 0 or height == 0:
        return None, 'no-ink'

    ink, reason = _stretch_ink(_raw_ink(rgba))
    if reason:
        return None, reason

    out = fit_and_centre(ink)
    _, reason = _stretch_ink(out.astype(np.float64))  # what the model reads obeys the rule too
    return (None, reason) if reason else (out, None)


def fit_and_centre(ink):
    """Crops the ink (float64, 0..1, some of it above 0) to its bounding box, fits it into 20x20 and
    centres it by mass in 28x28: the contract's last steps, shared with training/strokes.py."""
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    return _centre_by_mass(_fit(ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]))


def _stretch_ink(raw):
    """The near-empty rule (see model/near-empty-rule.ts): (ink stretched to the strongest, None) or (None, reason)."""
    peak = raw.max()
    if peak < MIN_CONTRAST:
        return None, 'no-ink'
    ink = np.clip((raw / peak - NOISE_FLOOR) / (1 - NOISE_FLOOR), 0.0, 1.0)
    if ink.sum() < max(MIN_INK_PIXELS, MIN_INK_FRACTION * ink.size):
        return None, 'too-little-ink'
    return ink, None


def _raw_ink(rgba):
    """Per-pixel distance from the background, 0..1 (before normalising to the peak)."""
    border = np.zeros(rgba.shape[:2], dtype=bool)
    border[0, :] = border[-1, :] = border[:, 0] = border[:, -1] = True
    edge = rgba[border]  # each border pixel once
    a = rgba[..., 3] / 255.0
    if _lower_median(edge[:, 3]) / 255.0 < TRANSPARENT_BACKGROUND_ALPHA:
        return a  # transparent background: whatever was painted is ink, whatever its colour
    background = [_lower_median(edge[:, c]) / 255.0 for c in range(3)]
    d = []
    for c in range(3):
        b = background[c]
        d.append(a * (rgba[..., c] / 255.0) + (1 - a) * b - b)  # composite over the background
    return np.sqrt((d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) / 3)


def _lower_median(values):
    return int(np.sort(values)[(len(values) - 1) >> 1])


def _area_weights(src, dst):
    """[dst, src]: output j averages the source interval [j*src/dst, (j+1)*src/dst)."""
    j = np.arange(dst, dtype=np.float64)
    lo = (j * src / dst)[:, None]
    hi = ((j + 1) * src / dst)[:, None]
    i = np.arange(src, dtype=np.float64)[None, :]
    overlap = np.minimum(hi, i + 1) - np.maximum(lo, i)
    return np.clip(overlap, 0.0, None) / (src / dst)


def _fit(crop):
    """Fits the crop into FIT_SIZE x FIT_SIZE keeping its aspect ratio (area averaging)."""
    h, w = crop.shape
    scale = FIT_SIZE / max(w, h)
    tw = max(1, math.floor(w * scale + 0.5))
    th = max(1, math.floor(h * scale + 0.5))
    return (_area_weights(h, th) @ crop) @ _area_weights(w, tw).T  # rows first, like the TypeScript


def _centre_by_mass(patch):
    """Pastes the patch into a black 28x28 field with its index centre of mass at (14, 14)."""
    th, tw = patch.shape
    mass = patch.sum()
    cx = (patch.sum(axis=0) * np.arange(tw)).sum() / mass
    cy = (patch.sum(axis=1) * np.arange(th)).sum() / mass
    centre = MODEL_INPUT_SIZE / 2
    left = _paste_position(centre - cx, tw)
    top = _paste_position(centre - cy, th)
    out = np.zeros((MODEL_INPUT_SIZE, MODEL_INPUT_SIZE), dtype=np.float32)
    out[top:top + th, left:left + tw] = patch
    return out


def _paste_position(ideal, size):
    rounded = math.floor(ideal + 0.5 + CENTRE_TIE_EPSILON)
    return min(max(rounded, 0), MODEL_INPUT_SIZE - size)


def load_rgba(path):
    """Reads an image file as uint8 RGBA [H, W, 4] (16-bit greyscale keeps its high byte, like fast-png's 8-bit view)."""
    from PIL import Image  # only needed for files

    with Image.open(path) as im:
        if im.mode in ('I;16', 'I;16B', 'I;16L', 'I'):
            grey = (np.asarray(im, dtype=np.uint32) >> 8).astype(np.uint8)
            alpha = np.full_like(grey, 255)
            return np.stack([grey, grey, grey, alpha], axis=-1)
        return np.asarray(im.convert('RGBA'), dtype=np.uint8)


def main(paths):
    for path in paths:
        pixels, reason = to_model_input(load_rgba(path))
        if pixels is None:
            line = {'file': path, 'ok': False, 'reason': reason}
        else:
            line = {'file': path, 'ok': True, 'pixels': [float(v) for v in pixels.reshape(-1)]}
        print(json.dumps(line))


if __name__ == '__main__':
    main(sys.argv[1:])
