"""Real pen-drawn digits and letters (UNIPEN), split by writer.

training/unipen/ holds the data and its licence (see the README there). Every drawing belongs to
one writer file; a writer's digits and letters all fall in the same split, chosen by a hash of the
writer, so no writer is both trained on and evaluated, and the split never changes between runs:

- train (70%): learnt from;
- select (10%): picks the temperature and the not-a-digit threshold, never reported;
- test (20%): what the model card and README report.
"""
import functools
import gzip
import hashlib
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "unipen"
SPLITS = {"train": range(0, 70), "select": range(70, 80), "test": range(80, 100)}


def writer_of(item: dict) -> str:
    return f"{item['source']}/{item['writer']}"


def bucket(text: str) -> int:
    """A stable number in 0..99 for a text (a writer's name): the splits are made of such buckets."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 100


def split_of(writer: str) -> str:
    return next(name for name, buckets in SPLITS.items() if bucket(writer) in buckets)


@functools.cache
def _all(kind: str) -> tuple[dict, ...]:
    # Read once per process: training, calibration and the replay each ask for several splits.
    with gzip.open(DATA_DIR / f"{kind}.ndjson.gz", "rt") as f:
        return tuple(json.loads(line) for line in f)


def load(kind: str, split: str | None = None) -> list[dict]:
    """kind 'digits' or 'letters'; each item {label, source, writer, strokes}, optionally one split's.
    The items are shared between calls: read them, never change them."""
    return [i for i in _all(kind) if split is None or split_of(writer_of(i)) == split]
