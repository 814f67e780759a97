"""Measures what retraining learns from a population's corrections, on other writers of it.

    python3 -m training.feedback_experiment --out /tmp/fe --part B -- --max-per-client 400 --max-per-client-label 60 \
        --max-per-client-correction 60
    python3 -m training.feedback_experiment --out /tmp/fe --part C -- ...   # the figures reported

Everything after -- goes to training/retrain.py as it is (e.g. --steps 300 --feedback-share 0.25).

The population: the real pen-drawn UNIPEN digits (training/unipen/) of writers the served model
never trained on (training/unipen.py's 'select' and 'test' writers) of the collections it reads
worst (--sources), drawn in styles it met little of in training: every writer leans all their
digits by their own slant (--slant, past what training slanted by), and writes every 0, 1 and 7 in
one of training/strokes.py's `with_style` (slashed or barred zeros, flagged ones often with a foot,
crossed sevens). Its writers, never its drawings, are dealt into three parts, collection by
collection:

- A (half the drawings): their corrections. Each drawing is drawn as the page sends it
  (training/strokes.py `render_page`: a 280 px picture, the page's ink on white, a random pen, size
  and position), turned into the 28x28 input by the input contract (training/preprocess.py, the
  server's twin) and stored as the server stores it (784 bytes), in the NDJSON format of
  GET /api/admin/feedback, one client per writer;
- B (a quarter): for choosing retraining's settings;
- C (a quarter): only reported.

retrain then fine-tunes and gates on A's rows exactly as `npm run retrain -- --feedback FILE` does
(its own selection of rows, split by client, fine-tune and gate), on a copy of the model folder, and
the current model and the fine-tuned one are scored on B or C (in the population's styles, and as
the writers drew them), on the other collections' unseen writers as they drew, on the MNIST test
set and on the drawn-digit set (training/drawn_digits.py). The result, with the gate's answer, goes
to OUT/result.json. UNIPEN writer files are writing sessions of up to 340 digits, more than one
person corrects, so the measurements lift retrain's per-client caps (the command above).
"""
import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch

from . import drawn_digits, mnist, retrain, unipen
from .datasets import to_tensor
from .export import card_file, load_weights, model_file, weights_file
from .preprocess import load_rgba, to_model_input
from .strokes import as_arrays, render_page, with_style
from .train import predict
from .versions import current_version

PARTS = {"A": 0.5, "B": 0.25, "C": 0.25}  # shares of each collection's drawings, by whole writers
STYLED = (0, 1, 7)
# The collections whose unseen writers the served model v2 reads worst (2.4-5.8% wrong, the others
# 0-1.7%): one of the population's kind.
SOURCES = "ibm,syn,apb,apa,aga,imp"


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="folder for the feedback NDJSON, the rendered sets and result.json")
    p.add_argument("--part", choices=["B", "C"], default="B",
                   help="which held-out writers to score: B to choose settings on, C to report")
    p.add_argument("--feedback-count", type=int, default=1200,
                   help="corrections taken from part A's writers (a random sample of their drawings)")
    p.add_argument("--styled-writers", type=float, default=1.0,
                   help="share of the population's writers (by a hash) who draw every 0, 1 and 7 in a style of "
                        "strokes.with_style; 0: the writers' drawings as they are")
    p.add_argument("--sources", default=SOURCES,
                   help="comma-separated UNIPEN collections whose unseen writers are the population; the unseen "
                        "writers of the other collections are scored as they drew, as a check")
    p.add_argument("--slant", default="0.45,0.75",
                   help="LOW,HIGH: every writer of the population leans their drawings by a shear (x moved by "
                        "this times the height) drawn once per writer from this range, past the +-0.35 the "
                        "model trained on; 0 leaves the drawings upright")
    p.add_argument("--salt", default="feedback-experiment",
                   help="salt of the writer hash that orders each collection's writers before they are dealt into "
                        "A (half the drawings), B and C (a quarter each)")
    p.add_argument("--skip-write", action="store_true",
                   help="do not write the accepted version into the (temporary) model folder: saves the export "
                        "and calibration when only the scores are wanted")
    p.add_argument("--seed", type=int, default=2027, help="seeds the pens, sizes, positions and styles")
    p.add_argument("--model-dir", type=Path, default=mnist.ROOT / "model",
                   help="model folder whose current version is fine-tuned (it is copied, never written)")
    p.add_argument("--drawn-count", type=int, default=1000, help="size of the drawn-digit set (training/drawn_digits.py)")
    p.add_argument("--threads", type=int, default=2, help="PyTorch CPU threads")
    p.add_argument("retrain_args", nargs="*", help="after --: options passed to training/retrain.py (e.g. --steps 300)")
    return p.parse_args(argv)


def styles(writer: str, share: float, salt: str) -> bool:
    return unipen.bucket(f"{salt}/style/{writer}") < round(100 * share)


def population(sources: list[str], salt: str) -> dict[str, list[dict]]:
    """The digits of the writers the served model never trained on (unipen.py's select and test
    writers): those of `sources` dealt by writer into A, B and C, within each collection, each writer
    (in the order of a salted hash) to the part furthest below its share; the other collections'
    as 'others'."""
    writers: dict[str, list[dict]] = {}
    for item in unipen.load("digits"):
        writer = unipen.writer_of(item)
        if unipen.split_of(writer) != "train":
            writers.setdefault(writer, []).append(item)
    parts = {name: [] for name in [*PARTS, "others"]}
    for source in sorted({w.split("/")[0] for w in writers}):
        mine = sorted((w for w in writers if w.split("/")[0] == source), key=lambda w: unipen.bucket(f"{salt}/{w}"))
        if source not in sources:
            parts["others"] += [i for w in mine for i in writers[w]]
            continue
        dealt = dict.fromkeys(PARTS, 0)
        for w in mine:
            part = min(PARTS, key=lambda name: (dealt[name] / PARTS[name], name))
            dealt[part] += len(writers[w])
            parts[part] += writers[w]
    return parts


def as_served(strokes, rng: np.random.Generator) -> np.ndarray | None:
    """uint8 [28, 28]: the drawing as the page sends it, through the input contract, stored as bytes."""
    picture = np.asarray(render_page(strokes, rng).convert("RGBA"))
    pixels, _ = to_model_input(picture)
    return None if pixels is None else np.round(pixels * 255).astype(np.uint8)


def writer_slant(writer: str, slant: str, salt: str) -> float:
    """The shear one writer leans every drawing by (the same for all of them)."""
    low, high = ([float(v) for v in slant.split(",")] + [0.0])[:2] if slant != "0" else (0.0, 0.0)
    return low + (high - low) * unipen.bucket(f"{salt}/slant/{writer}") / 99


def draw(items: list[dict], rng: np.random.Generator, styled_share: float, salt: str, styled: bool,
         slant: str = "0") -> dict:
    """Every item drawn once as served; with `styled`, in the population's styles: the styled writers'
    0s, 1s and 7s in a style of strokes.with_style, and every writer's drawings leant by their slant."""
    pictures, labels, writers = [], [], []
    for item in items:
        strokes = as_arrays(item["strokes"])
        writer = unipen.writer_of(item)
        if styled and item["label"] in STYLED and styles(writer, styled_share, salt):
            strokes = with_style(strokes, item["label"], rng)
        if styled:  # y grows downwards: the top moves right
            shear = writer_slant(writer, slant, salt)
            strokes = [s @ np.array([[1.0, 0.0], [-shear, 1.0]]) for s in strokes]
        picture = as_served(strokes, rng)
        if picture is not None:
            pictures.append(picture)
            labels.append(item["label"])
            writers.append(writer)
    return {"x": np.stack(pictures), "y": np.array(labels), "writers": writers}


def drawn_set(count: int, cache: Path) -> tuple[torch.Tensor, torch.Tensor]:
    folder = cache / f"drawn-{count}"
    if not (folder / "manifest.json").exists():
        drawn_digits.generate(folder, count, drawn_digits.EVAL_SEED)
    items = json.loads((folder / "manifest.json").read_text())["items"]
    x = np.stack([to_model_input(load_rgba(folder / i["file"]))[0] for i in items])
    return torch.from_numpy(x).unsqueeze(1), torch.tensor([i["label"] for i in items])


def feedback_rows(drawn: dict, count: int, version: str, rng: np.random.Generator) -> list[dict]:
    chosen = np.sort(rng.choice(len(drawn["y"]), size=min(count, len(drawn["y"])), replace=False))
    now = datetime.now(timezone.utc).isoformat()
    # One writer is one client (the export's keyed hash of an address): retrain splits the gate by client.
    return [{"id": hashlib.sha256(f"feedback/{i}/{drawn['writers'][i]}".encode()).hexdigest()[:32],
             "input": drawn["x"][i].reshape(-1).tolist(), "trueLabel": int(drawn["y"][i]),
             "modelVersion": version, "createdAt": now,
             "clientHash": hashlib.sha256(f"client/{drawn['writers'][i]}".encode()).hexdigest()[:32]} for i in chosen]


def score(net: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict:
    right = predict(net, x) == y
    return {"count": len(y), "accuracy": round(float(right.float().mean()), 5), "errors": int((~right).sum())}


def sets(args: argparse.Namespace) -> dict:
    """The feedback rows and the scored sets, drawn once per setting and kept in OUT."""
    key = hashlib.sha256(json.dumps(["clients", args.slant, args.sources, args.salt, args.seed, args.styled_writers,
                                     args.feedback_count]).encode()).hexdigest()[:12]
    cache = args.out / f"sets-{key}.pt"
    if cache.exists():
        return torch.load(cache)
    parts = population(args.sources.split(","), args.salt)
    rng = np.random.default_rng(args.seed)
    version = current_version(args.model_dir)
    a = draw(parts["A"], rng, args.styled_writers, args.salt, styled=True, slant=args.slant)
    out = {"feedback": feedback_rows(a, args.feedback_count, version, rng),
           "writers": {name: len({unipen.writer_of(i) for i in items}) for name, items in parts.items()},
           "drawings": {name: len(items) for name, items in parts.items()}}
    d = draw(parts["others"], rng, 0.0, args.salt, styled=False)
    out["others-as-drawn"] = (to_tensor(d["x"]), torch.from_numpy(d["y"]))
    for name in ("B", "C"):
        for styled in (True, False):
            d = draw(parts[name], rng, args.styled_writers, args.salt, styled, args.slant)
            out[f"{name}-{'styled' if styled else 'as-drawn'}"] = (to_tensor(d["x"]), torch.from_numpy(d["y"]))
    torch.save(out, cache)
    return out


def model_copy(model_dir: Path, into: Path) -> Path:
    version = current_version(model_dir)
    into.mkdir(parents=True)
    for name in (model_file(version), card_file(version), weights_file(version), "current.json"):
        shutil.copy2(model_dir / name, into / name)
    return into


def main() -> None:
    args = parse_args(sys.argv[1:])
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    data = sets(args)
    feedback = args.out / "feedback.ndjson"
    feedback.write_text("".join(json.dumps(r) + "\n" for r in data["feedback"]))
    print(f"writers: {data['writers']}; drawings: {data['drawings']}; "
          f"{len(data['feedback'])} corrections from A in {feedback}")

    captured = {}
    fine_tune = retrain.fine_tune

    def capture(*a, **k):
        captured["net"] = fine_tune(*a, **k)
        return captured["net"]

    retrain.fine_tune = capture  # the same fine-tune; kept so a refused model is scored too
    if args.skip_write:
        retrain.write_model = lambda *a, **k: None
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = model_copy(args.model_dir, Path(tmp) / "model")
        r_args = retrain.parse_args(["--feedback", str(feedback), "--model-dir", str(model_dir), *args.retrain_args])
        started = time.time()
        outcome = retrain.retrain(r_args)
        seconds = time.time() - started
    if "net" not in captured:
        sys.exit("retrain fine-tuned nothing: " + "; ".join(outcome["reasons"]))
    old, new = load_weights(args.model_dir, current_version(args.model_dir)), captured["net"].eval()

    torch.save(new.state_dict(), args.out / "fine-tuned.pt")
    test_images, test_labels = mnist.load("t10k")
    scored = {"MNIST test": (to_tensor(test_images), torch.from_numpy(test_labels.astype(np.int64))),
              "drawn digits": drawn_set(args.drawn_count, args.out)}
    for name in (f"{args.part}-styled", f"{args.part}-as-drawn", "others-as-drawn"):
        scored[name] = data[name]
    # The corrections themselves: how much of what it was shown the fine-tune took in.
    scored["A, the corrections"] = retrain.as_tensors(data["feedback"])
    scores = {}
    for name, (x, y) in scored.items():
        before, after = score(old, x, y), score(new, x, y)
        cut = (before["errors"] - after["errors"]) / before["errors"] if before["errors"] else 0.0
        scores[name] = {"before": before, "after": after, "errorCut": round(cut, 4)}
        print(f"{name:18s} {before['count']:6d}  {before['accuracy']:.4f} ({before['errors']} errors) -> "
              f"{after['accuracy']:.4f} ({after['errors']} errors), {100 * cut:+.1f}% of the errors gone")
    result = {"settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(r_args).items()},
              "experiment": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
              "writers": data["writers"], "drawings": data["drawings"], "feedback": len(data["feedback"]),
              "accepted": outcome["accepted"], "reasons": outcome["reasons"], "gate": outcome.get("gate"),
              "retrainSeconds": round(seconds, 1), "scores": scores}
    (args.out / "result.json").write_text(json.dumps(result, indent=1) + "\n")
    print(f"gate: {'accepted' if outcome['accepted'] else 'refused: ' + '; '.join(outcome['reasons'])}; "
          f"retrain took {seconds:.0f} s")


if __name__ == "__main__":
    main()
