"""Trains the digit CNN (v2: ten digits and "not a digit") on MNIST and real pen-drawn UNIPEN
digits and letters, and exports it to ONNX with a model card.

    npm run train                                   # full run, writes model/digit-cnn-v2.onnx and its card
    npm run train -- --limit 2000 --epochs 1 --out-dir /tmp/m   # smoke run
    python3 -m training.train --help

Every epoch sees all of MNIST's training set and a fresh sample of the real drawings (UNIPEN
training writers' digits in several renderings, their letters and synthetic shapes); both are
augmented per batch (training/augment.py). Nothing here looks at the writers the card reports.
"""
import argparse
import copy
import json
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import mnist
from .augment import canvas_like
from .calibrate import calibrate, select_set
from .datasets import STYLED_SHARE, mnist_split, real_training_pool
from .export import write_model
from .metrics import classification_report
from .model_def import DIGITS, DigitCNNv2, parameter_count
from .progress import progress
from .strokes import DRAWN_SIDE_RANGE, MAX_PEN_SHARE, PAGE_SIDE, PEN_RANGE


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=11, help="passes over MNIST's training set")
    p.add_argument("--batch-size", type=int, default=128, help="images per optimiser step")
    p.add_argument("--lr", type=float, default=4e-3, help="peak learning rate of the one-cycle schedule")
    p.add_argument("--real-per-epoch", type=int, default=56000,
                   help="real drawings (UNIPEN digits and letters, shapes) mixed into each epoch")
    p.add_argument("--digit-variants", type=int, default=8, help="renderings of each UNIPEN training digit")
    p.add_argument("--letter-variants", type=int, default=2, help="renderings of each UNIPEN training letter")
    p.add_argument("--shapes", type=int, default=4000, help="synthetic scribbles and shapes (not digits)")
    p.add_argument("--ema", type=float, default=0.999,
                   help="decay of the moving average of the weights that is exported (0: export the last weights)")
    p.add_argument("--seed", type=int, default=20261201, help="seeds Python, NumPy and PyTorch")
    p.add_argument("--limit", type=int, default=0, help="train on the first N images of each source only (smoke runs)")
    p.add_argument("--threads", type=int, default=2, help="PyTorch CPU threads (Debian's build starts with one)")
    p.add_argument("--out-dir", type=Path, default=mnist.ROOT / "model", help="where the model version is written")
    p.add_argument("--version", default="2", help="version name of the exported model")
    return p.parse_args(argv)


def seed_everything(seed: int) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


class WeightAverage:
    """An exponential moving average of the weights (and batch-norm statistics): steadier than the
    last step's weights, at no cost in training time."""

    def __init__(self, net: torch.nn.Module, decay: float) -> None:
        self.decay = decay
        self.steps = 0
        self.net = copy.deepcopy(net).eval()
        for p in self.net.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, net: torch.nn.Module) -> None:
        self.steps += 1
        # Early on the average would mostly remember the random start: it warms up to its decay.
        decay = min(self.decay, (1 + self.steps) / (10 + self.steps))
        for mine, theirs in zip(self.net.state_dict().values(), net.state_dict().values()):
            if mine.dtype.is_floating_point:
                mine.mul_(decay).add_(theirs, alpha=1 - decay)
            else:
                mine.copy_(theirs)


@torch.no_grad()
def predict(net: torch.nn.Module, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """The digit each image most likely is (over the ten digits: "not a digit" is judged apart)."""
    net.eval()
    return torch.cat([net(x[i:i + batch_size])[:, :DIGITS].argmax(1) for i in range(0, len(x), batch_size)])


def accuracy(net: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """The share of `x` that `predict` reads as `y`; NaN for no images."""
    return float((predict(net, x) == y).float().mean()) if len(y) else float("nan")


def train_epoch(net, optimizer, schedule, x: torch.Tensor, y: torch.Tensor, order: torch.Tensor,
                batch_size: int, gen: torch.Generator, desc: str, average: WeightAverage | None = None) -> dict:
    net.train()
    steps = (len(order) + batch_size - 1) // batch_size
    seen = correct = 0
    loss_sum = 0.0
    bar = progress(range(steps), desc=desc, unit="batch")
    for step in bar:
        idx = order[step * batch_size:(step + 1) * batch_size]
        # Channels-last is the layout PyTorch's CPU convolutions run fastest in (about 15% here).
        xb, yb = canvas_like(x[idx], gen).contiguous(memory_format=torch.channels_last), y[idx]
        logits = net(xb)
        loss = F.cross_entropy(logits, yb, label_smoothing=0.05)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        if average:
            average.update(net)
        seen += len(idx)
        correct += int((logits.argmax(1) == yb).sum())
        loss_sum += float(loss) * len(idx)
        if step % 20 == 0 or step == steps - 1:
            bar.set_postfix(loss=f"{loss_sum / seen:.4f}", acc=f"{correct / seen:.4f}", refresh=False)
    return {"loss": loss_sum / seen, "accuracy": correct / seen}


def evaluate(net: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict:
    return classification_report(y.numpy(), predict(net, x).numpy())


def train(args: argparse.Namespace) -> dict:
    torch.set_num_threads(args.threads)  # Debian's PyTorch starts with one thread
    gen = seed_everything(args.seed)
    rng = np.random.default_rng(args.seed)
    started = time.time()
    x_mnist, y_mnist = mnist_split("train", args.limit)
    x_real, y_real = real_training_pool(rng, args.digit_variants, args.letter_variants, args.shapes, args.limit)
    x, y = torch.cat([x_mnist, x_real]), torch.cat([y_mnist, y_real])
    real_per_epoch = min(args.real_per_epoch, len(x_real))
    print(f"{len(x_mnist)} MNIST images and {len(x_real)} real renderings "
          f"({int((y_real < DIGITS).sum())} digits), {real_per_epoch} real a epoch; "
          f"prepared in {time.time() - started:.0f} s", flush=True)
    select = select_set()  # checked after every epoch, then calibrated on

    net = DigitCNNv2().to(memory_format=torch.channels_last)
    average = WeightAverage(net, args.ema) if args.ema else None
    per_epoch = len(x_mnist) + real_per_epoch
    steps_per_epoch = (per_epoch + args.batch_size - 1) // args.batch_size
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                   steps_per_epoch=steps_per_epoch)
    for epoch in range(1, args.epochs + 1):
        real = len(x_mnist) + torch.randperm(len(x_real), generator=gen)[:real_per_epoch]
        order = torch.cat([torch.arange(len(x_mnist)), real])[torch.randperm(per_epoch, generator=gen)]
        stats = train_epoch(net, optimizer, schedule, x, y, order, args.batch_size, gen,
                            desc=f"epoch {epoch}/{args.epochs}", average=average)
        checked = evaluate(average.net if average else net, *select["digits"])
        print(f"epoch {epoch}: train loss {stats['loss']:.4f}, train acc {stats['accuracy']:.4f} (augmented), "
              f"select writers' digits {checked['accuracy']:.4f}", flush=True)
    seconds = time.time() - started
    net = (average.net if average else net).to(memory_format=torch.contiguous_format)

    x_test, y_test = mnist_split("t10k")
    report = evaluate(net, x_test, y_test)
    print(f"MNIST test accuracy {report['accuracy']:.4f} after {seconds:.0f} s", flush=True)
    training = {
        "framework": f"PyTorch {torch.__version__}",
        "python": platform.python_version(),
        "seed": args.seed,
        "epochs": args.epochs,
        "batchSize": args.batch_size,
        "peakLearningRate": args.lr,
        "weightAverageDecay": args.ema,
        "trainingImages": int(len(x_mnist)),
        "realDrawings": {
            "perEpoch": real_per_epoch,
            "renderings": int(len(x_real)),
            "digitVariants": args.digit_variants,
            "letterVariants": args.letter_variants,
            "shapes": args.shapes,
            "source": "UNIPEN train_r01_v07 training writers (training/unipen/README.md; CC BY 4.0, "
                      "Guyon et al., ICPR 1994), rendered with the page's pens through the input contract",
        },
        "augmentation": f"strokes: {STYLED_SHARE:.0%} of the zeros, ones and sevens re-drawn slashed, flagged (often "
                        f"with a foot) or crossed; slant ±0.35, rotation ±10°, aspect ±25%, tremor; a pen of "
                        f"{PEN_RANGE[0]:.0f}-{PEN_RANGE[1]:.0f} px at a {DRAWN_SIDE_RANGE[0]:.0f}-{DRAWN_SIDE_RANGE[1]:.0f} px "
                        f"drawing (the pen at most {MAX_PEN_SHARE:.0%} of it) on the page's {PAGE_SIDE} px canvas; per batch: "
                        "stroke width (dilate/erode), solid ink, rotation ±15°, shear ±0.25, scale 0.85-1.1, aspect ±15%, "
                        "shift ±1.5 px, peak-normalised",
        "seconds": round(seconds, 1),
        "threads": args.threads,
    }
    return write_model(net, out_dir=args.out_dir, version=args.version, training=training,
                       parameters=parameter_count(net), mnist_test=report,
                       reference_inputs=x_test[:16], calibration=calibrate(net, select))


def main() -> None:
    card = train(parse_args(sys.argv[1:]))
    print(json.dumps({k: card[k] for k in ("name", "version", "file", "sha256")}, indent=2))


if __name__ == "__main__":
    main()
