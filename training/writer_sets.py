"""Renders the UNIPEN writers of one split as the page sends their drawings: 280x280 PNGs of the
page's ink on white, each at a random size, position and pen (training/strokes.py `render_page`),
so that evaluation runs the served pipeline (PNG -> decodeImage -> toModelInput -> ONNX) on real
handwriting of writers the model never trained on.

    python3 -m training.writer_sets --split test --out .training-cache/unipen-test

Every digit of the split and every letter are drawn once. The manifest lists each file's label
("letter" for letters), collection and writer, and the sha256 of the scripts that drew it.
"""
import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

from . import unipen
from .strokes import render_page

SEED = 2026


def generator_sha256(script: str = __file__) -> str:
    """A hash of the code that makes a set (the script, the renderer, the UNIPEN reader): a set on disk
    made by other code is stale."""
    digest = hashlib.sha256()
    for path in [Path(script), Path(__file__).with_name("strokes.py"), Path(__file__).with_name("unipen.py")]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def generate(out: Path, split: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.png"):  # the folder holds exactly one set
        stale.unlink()
    items = [("digit", d) for d in unipen.load("digits", split)] + [("letter", l) for l in unipen.load("letters", split)]
    manifest = []
    for i, (kind, item) in enumerate(items):
        name = f"{i:05d}-{kind}{item['label'] if kind == 'digit' else ''}.png"
        render_page(item["strokes"], rng).save(out / name, optimize=False, compress_level=1)
        manifest.append({"file": name, "label": item["label"] if kind == "digit" else "letter",
                         "source": item["source"], "writer": unipen.writer_of(item)})
    (out / "manifest.json").write_text(json.dumps(
        {"split": split, "seed": seed, "generator": generator_sha256(), "items": manifest}, indent=0) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)write the PNGs and manifest.json into")
    parser.add_argument("--split", default="test", choices=list(unipen.SPLITS), help="which writers to draw")
    parser.add_argument("--seed", type=int, default=SEED, help="seeds the sizes, positions and pens")
    args = parser.parse_args()
    generate(args.out, args.split, args.seed)


if __name__ == "__main__":
    main()
