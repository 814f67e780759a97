"""Trains the digit CNN on the full MNIST training set and exports it to ONNX with a model card.

    npm run train                      # full run, writes model/digit-cnn-v1.onnx and its card
    npm run train -- --limit 2000 --epochs 1 --out-dir /tmp/m   # smoke run
"""
import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mnist  # noqa: E402
from augment import canvas_like  # noqa: E402
from export import write_model  # noqa: E402
from model_def import DigitCNN, parameter_count  # noqa: E402
from calibrate import calibrate  # noqa: E402
from metrics import classification_report  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=3e-3, help="peak learning rate of the one-cycle schedule")
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--limit", type=int, default=0, help="train on the first N images only (smoke runs)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out-dir", type=Path, default=mnist.ROOT / "model")
    p.add_argument("--version", default="1")
    return p.parse_args(argv)


def seed_everything(seed: int) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def to_tensor(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)


@torch.no_grad()
def predict(net: DigitCNN, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    net.eval()
    return torch.cat([net(x[i:i + batch_size]).argmax(1) for i in range(0, len(x), batch_size)])


def train(args: argparse.Namespace) -> dict:
    torch.set_num_threads(args.threads)  # Debian's PyTorch starts with one thread
    gen = seed_everything(args.seed)
    train_images, train_labels = mnist.load("train")
    test_images, test_labels = mnist.load("t10k")
    if args.limit:
        train_images, train_labels = train_images[: args.limit], train_labels[: args.limit]
    x, y = to_tensor(train_images), torch.from_numpy(train_labels.astype(np.int64))
    x_test, y_test = to_tensor(test_images), torch.from_numpy(test_labels.astype(np.int64))

    net = DigitCNN()
    steps_per_epoch = (len(x) + args.batch_size - 1) // args.batch_size
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                   steps_per_epoch=steps_per_epoch)
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        net.train()
        order = torch.randperm(len(x), generator=gen)
        seen = correct = 0
        loss_sum = 0.0
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch}/{args.epochs}", unit="batch",
                   dynamic_ncols=True, file=sys.stdout)
        for step in bar:
            idx = order[step * args.batch_size:(step + 1) * args.batch_size]
            xb, yb = canvas_like(x[idx], gen), y[idx]
            logits = net(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=0.05)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            seen += len(idx)
            correct += int((logits.argmax(1) == yb).sum())
            loss_sum += float(loss) * len(idx)
            if step % 20 == 0 or step == steps_per_epoch - 1:
                bar.set_postfix(loss=f"{loss_sum / seen:.4f}", acc=f"{correct / seen:.4f}")
        test_acc = float((predict(net, x_test) == y_test).float().mean())
        print(f"epoch {epoch}: train loss {loss_sum / seen:.4f}, train acc {correct / seen:.4f} "
              f"(augmented), MNIST test acc {test_acc:.4f}", flush=True)
    seconds = time.time() - started

    predicted = predict(net, x_test).numpy()
    report = classification_report(test_labels, predicted)
    print(f"MNIST test accuracy {report['accuracy']:.4f} after {seconds:.0f} s", flush=True)
    training = {
        "framework": f"PyTorch {torch.__version__}",
        "python": platform.python_version(),
        "seed": args.seed,
        "epochs": args.epochs,
        "batchSize": args.batch_size,
        "peakLearningRate": args.lr,
        "trainingImages": int(len(x)),
        "augmentation": "stroke width (dilate/erode), solid ink, rotation ±15°, shear ±0.25, "
                        "scale 0.85-1.1, aspect ±15%, shift ±1.5 px, peak-normalised",
        "seconds": round(seconds, 1),
        "threads": args.threads,
    }
    return write_model(net, out_dir=args.out_dir, version=args.version, training=training,
                       parameters=parameter_count(net), mnist_test=report,
                       reference_inputs=x_test[:16], calibration=calibrate(net))


if __name__ == "__main__":
    card = train(parse_args(sys.argv[1:]))
    print(json.dumps({k: card[k] for k in ("name", "version", "file", "sha256")}, indent=2))
