"""Fine-tunes the current model on logged corrections mixed with replayed MNIST, then gates it.

    ADMIN_TOKEN=... npm run retrain -- --from http://localhost:8787

The gate accepts the new model only if it loses at most --max-mnist-drop on the MNIST test set and
is more accurate than the current model on the held-out part of the feedback, by more than chance:
an exact one-sided McNemar test on the rows the two models disagree on, p < --max-p. Which feedback
trains and which is held out is training/feedback_policy.py's: split by client and capped per client,
labels held for review left out, so no one client can both teach a change and pass it.
An accepted model becomes a new version in model/; nothing changes otherwise. When the current
version is an int8 graph (training/quantize.py), the new one is quantized the same way.
"""
import argparse
import copy
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import feedback_policy, mnist
from .augment import canvas_like
from .calibrate import calibrate
from .datasets import mnist_split, not_digit_replay, to_tensor
from .export import card_file, load_weights, write_model
from .metrics import classification_report
from .model_def import DIGITS, parameter_count
from .progress import progress
from .quantize import quantize
from .train import accuracy, predict, seed_everything
from .versions import current_version, next_version

REFUSED = 3  # exit status when the gate refuses: nothing was changed
DISTILL_T = 2.0  # softmax temperature of the distillation term
NOT_DIGIT_REPLAY = 3000  # UNIPEN training letters and shapes replayed beside MNIST


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="url", help="base URL of a running server (token from ADMIN_TOKEN)")
    source.add_argument("--feedback", type=Path, help="an NDJSON export of /api/admin/feedback instead")
    p.add_argument("--model-dir", type=Path, default=mnist.ROOT / "model")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--feedback-share", type=float, default=0.125, help="share of each batch drawn from feedback")
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--distill", type=float, default=4.0, help="weight of distillation from the current model")
    p.add_argument("--holdout", type=float, default=0.2, help="share of the clients whose feedback gates")
    feedback_policy.add_arguments(p)
    p.add_argument("--min-feedback", type=int, default=20)
    p.add_argument("--max-mnist-drop", type=float, default=0.001, help="0.001 = 0.1 point")
    p.add_argument("--max-p", type=float, default=0.05, help="significance the held-out gain must reach")
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--result", type=Path, help="write the outcome as JSON here")
    return p.parse_args(argv)


def as_tensors(rows: list[dict]) -> tuple[torch.Tensor, torch.Tensor]:
    pixels = np.array([r["input"] for r in rows], dtype=np.uint8).reshape(-1, 28, 28)
    return to_tensor(pixels), torch.tensor([int(r["trueLabel"]) for r in rows], dtype=torch.int64)


def validate(rows: list[dict]) -> list[dict]:
    good = [r for r in rows if len(r.get("input", ())) == 784 and r.get("trueLabel") in range(10)]
    if len(good) != len(rows):
        print(f"skipping {len(rows) - len(good)} malformed feedback rows")
    return good


def fine_tune(net: torch.nn.Module, teacher: torch.nn.Module, x_fb: torch.Tensor, y_fb: torch.Tensor,
              args: argparse.Namespace, gen: torch.Generator) -> torch.nn.Module:
    """Cross-entropy on feedback and replayed MNIST, plus distillation from the current model on the
    replayed part (learning without forgetting): the new style is learnt, MNIST answers stay put.
    A model that also knows "not a digit" replays some of its letters and shapes, so feedback, all
    digits, does not teach it that everything is one."""
    x_replay, y_replay = mnist_split("train")
    if net.classes > DIGITS:
        x_not, y_not = not_digit_replay(np.random.default_rng(args.seed), NOT_DIGIT_REPLAY)
        x_replay, y_replay = torch.cat([x_replay, x_not]), torch.cat([y_replay, y_not])
    n_fb = max(1, round(args.batch_size * args.feedback_share))
    n_replay = args.batch_size - n_fb
    optimizer = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=5e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.steps)
    net.train()
    bar = progress(range(args.steps), desc="fine-tuning", unit="step")
    for step in bar:
        i_fb = torch.randint(len(x_fb), (n_fb,), generator=gen)
        i_replay = torch.randint(len(x_replay), (n_replay,), generator=gen)
        xb = canvas_like(torch.cat([x_fb[i_fb], x_replay[i_replay]]), gen)
        yb = torch.cat([y_fb[i_fb], y_replay[i_replay]])
        logits = net(xb)
        with torch.no_grad():
            target = F.softmax(teacher(xb[n_fb:]) / DISTILL_T, dim=1)
        distill = F.kl_div(F.log_softmax(logits[n_fb:] / DISTILL_T, dim=1), target, reduction="batchmean")
        loss = F.cross_entropy(logits, yb, label_smoothing=0.05) + args.distill * DISTILL_T ** 2 * distill
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        if step % 10 == 0:
            bar.set_postfix(loss=f"{float(loss):.4f}", refresh=False)
    return net.eval()


def mcnemar_p(old_right: torch.Tensor, new_right: torch.Tensor) -> float:
    """One-sided exact McNemar p-value that the new model is better, from per-row correctness."""
    gained = int((new_right & ~old_right).sum())
    lost = int((old_right & ~new_right).sum())
    n = gained + lost
    return sum(math.comb(n, k) for k in range(gained, n + 1)) / 2 ** n if n else 1.0


def retrain(args: argparse.Namespace) -> dict:
    torch.set_num_threads(args.threads)
    gen = seed_everything(args.seed)
    if args.url:
        from .server_api import fetch_feedback
        rows = fetch_feedback(args.url)
    else:
        rows = [json.loads(line) for line in args.feedback.read_text().splitlines() if line.strip()]
    rows = validate(rows)
    chosen = feedback_policy.select_from_args(rows, args)
    train_rows, held_rows = chosen.train, chosen.gate
    print(f"{len(rows)} labeled predictions: {chosen.summary()}")
    parent = current_version(args.model_dir, args.url)
    if len(train_rows) < args.min_feedback or not held_rows:
        return {"accepted": False, "parent": parent,
                "reasons": [f"too little feedback: need at least {args.min_feedback} rows to train on and one "
                            f"held out, have {len(train_rows)} and {len(held_rows)}"]}

    old = load_weights(args.model_dir, parent)
    x_fb, y_fb = as_tensors(train_rows)
    x_held, y_held = as_tensors(held_rows)
    started = time.time()
    new = fine_tune(copy.deepcopy(old), old, x_fb, y_fb, args, gen)
    seconds = time.time() - started

    test_images, test_labels = mnist.load("t10k")
    x_test, y_test = to_tensor(test_images), torch.from_numpy(test_labels.astype(np.int64))
    old_right, new_right = predict(old, x_held) == y_held, predict(new, x_held) == y_held
    gate = {
        "mnistTest": {"before": accuracy(old, x_test, y_test), "after": accuracy(new, x_test, y_test)},
        "heldOutFeedback": {"count": len(held_rows), "before": float(old_right.float().mean()),
                            "after": float(new_right.float().mean()), "p": mcnemar_p(old_right, new_right)},
        # One client's rows both trained and gated: the verdict rests on that client's labels alone.
        "singleSource": chosen.single_source,
        "maxMnistDrop": args.max_mnist_drop,
        "maxP": args.max_p,
    }
    m, h = gate["mnistTest"], gate["heldOutFeedback"]
    print(f"MNIST test:         v{parent} {m['before']:.4f} -> new {m['after']:.4f}")
    print(f"held-out feedback:  v{parent} {h['before']:.4f} -> new {h['after']:.4f} "
          f"({h['count']} rows, McNemar p = {h['p']:.3g})")
    reasons = []
    if m["after"] < m["before"] - args.max_mnist_drop - 1e-9:
        reasons.append(f"MNIST accuracy would drop by {100 * (m['before'] - m['after']):.2f} points "
                       f"(at most {100 * args.max_mnist_drop:.2f} allowed)")
    if not (h["after"] > h["before"] and h["p"] < args.max_p):
        reasons.append(f"no significant improvement on held-out feedback ({h['before']:.4f} -> {h['after']:.4f}, "
                       f"p = {h['p']:.3g}, needs < {args.max_p})")
    if reasons:
        return {"accepted": False, "parent": parent, "gate": gate, "reasons": reasons}

    # Numbered past every version the server has too: versions never change once published.
    version = next_version(args.model_dir, args.url)
    training = {
        "framework": f"PyTorch {torch.__version__}",
        "fineTunedFrom": parent,
        "seed": args.seed,
        "steps": args.steps,
        "batchSize": args.batch_size,
        "feedbackShare": args.feedback_share,
        "learningRate": args.lr,
        "seconds": round(seconds, 1),
        "threads": args.threads,
    }
    trained_on = {"count": len(train_rows), "ids": sorted(r["id"] for r in train_rows),
                  "heldOutIds": sorted(r["id"] for r in held_rows), **chosen.card()}
    write_model(new, out_dir=args.model_dir, version=version, training=training,
                parameters=parameter_count(new),
                mnist_test=classification_report(test_labels, predict(new, x_test).numpy()),
                reference_inputs=x_test[:16], calibration=calibrate(new),
                extra={"gate": gate, "feedback": trained_on},
                make_current=False)
    if "quantization" in json.loads((args.model_dir / card_file(parent)).read_text()):
        # The parent served int8: so does its successor (the gate above judged the float networks).
        quantize(args.model_dir, version, version, compare_select=False, make_current=False)
    return {"accepted": True, "parent": parent, "version": version, "gate": gate, "reasons": []}


if __name__ == "__main__":
    arguments = parse_args(sys.argv[1:])
    outcome = retrain(arguments)
    if arguments.result:
        arguments.result.write_text(json.dumps(outcome, indent=2) + "\n")
    if outcome["accepted"]:
        print(f"accepted: new version v{outcome['version']} (from v{outcome['parent']})")
    else:
        print("refused, nothing changed:\n  " + "\n  ".join(outcome["reasons"]))
        sys.exit(REFUSED)
