"""Temperature scaling, so that the confidence the app shows is a probability one can trust.

Label smoothing and augmentation leave the network under-confident (a clean digit it gets right
shows ~95%). One scalar temperature T, fitted by minimising the negative log-likelihood on a
calibration set of canvas-style drawings, fixes that without changing any prediction (the argmax
is the same for every T). The calibration drawings re-draw MNIST test digits disjoint from the
drawn-digit evaluation set (the same digit order, further along), through the same input contract
the server uses.
"""
import numpy as np
import torch
import torch.nn.functional as F

from drawn_digits import EVAL_SEED, chosen_digits, render
from preprocess import to_model_input

CALIBRATION_COUNT = 1000
# The evaluation set takes the first 100 of each digit in EVAL_SEED's order; these are 300 to 399.
CALIBRATION_OFFSET = 300
TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(4.0), 161))


def calibration_set() -> tuple[torch.Tensor, torch.Tensor]:
    rng = np.random.default_rng(EVAL_SEED)
    images, labels, chosen = chosen_digits(CALIBRATION_COUNT, rng, CALIBRATION_OFFSET)
    pixels, targets = [], []
    for index in chosen:
        picture, _ = render(images[index], rng)
        x, _reason = to_model_input(np.asarray(picture.convert("RGBA")))
        if x is not None:
            pixels.append(x)
            targets.append(int(labels[index]))
    return torch.from_numpy(np.stack(pixels)).unsqueeze(1), torch.tensor(targets)


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T on a fine log grid that minimises the NLL of softmax(logits / T)."""
    nll = [float(F.cross_entropy(logits / t, labels)) for t in TEMPERATURES]
    return round(float(TEMPERATURES[int(np.argmin(nll))]), 4)


def expected_calibration_error(probabilities: torch.Tensor, labels: torch.Tensor, bins: int = 15) -> float:
    confidence, predicted = probabilities.max(1)
    correct = (predicted == labels).float()
    edges = torch.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence > lo) & (confidence <= hi)
        if inside.any():
            ece += float(inside.float().mean()) * abs(float(confidence[inside].mean() - correct[inside].mean()))
    return round(ece, 6)


@torch.no_grad()
def calibrate(net: torch.nn.Module) -> dict:
    net.eval()
    x, y = calibration_set()
    logits = net(x)
    t = fit_temperature(logits, y)
    return {
        "temperature": t,
        "set": f"{len(y)} canvas-style drawings of MNIST test digits {CALIBRATION_OFFSET}-"
               f"{CALIBRATION_OFFSET + CALIBRATION_COUNT // 10 - 1} of each class, disjoint from the drawn-digit evaluation set",
        "eceBefore": expected_calibration_error(F.softmax(logits, 1), y),
        "eceAfter": expected_calibration_error(F.softmax(logits / t, 1), y),
    }
