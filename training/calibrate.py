"""Temperature scaling and the not-a-digit threshold, both fitted on the UNIPEN 'select' writers.

Label smoothing and augmentation leave the network under-confident. One scalar temperature T,
fitted by minimising the negative log-likelihood on real pen-drawn digits of writers neither trained
on nor reported, fixes that without changing any prediction (the argmax is the same for every T).

A drawing is "not a digit" when the eleventh class's probability reaches a threshold, chosen on the
same writers' digits and letters: the one with the fewest mistakes when refusing a digit counts
DIGIT_REFUSAL_COST times as much as letting a letter through (a person whose digit is refused is let
down; a letter read as the nearest digit still shows its doubt).
"""
import numpy as np
import torch
import torch.nn.functional as F

from .datasets import writers_set
from .model_def import DIGITS, NOT_A_DIGIT

SELECT_SEED = 1995
TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(4.0), 161))
DIGIT_REFUSAL_COST = 10
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)


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


def not_digit_probability(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return F.softmax(logits / temperature, dim=1)[:, NOT_A_DIGIT]


def select_set() -> dict:
    """The select writers' digits (two renderings each) and letters, always drawn the same."""
    return writers_set("select", SELECT_SEED)


@torch.no_grad()
def calibrate(net: torch.nn.Module, select: dict | None = None) -> dict:
    """`select`: select_set(), when the caller has it already."""
    net.eval()
    select = select or select_set()
    x, y = select["digits"]
    logits = net(x)
    t = fit_temperature(logits[:, :DIGITS], y)
    result = {
        "temperature": t,
        "set": f"{len(y)} renderings of the real pen-drawn digits of the UNIPEN 'select' writers "
               "(training/unipen.py), never trained on or reported",
        "eceBefore": expected_calibration_error(F.softmax(logits[:, :DIGITS], 1), y),
        "eceAfter": expected_calibration_error(F.softmax(logits[:, :DIGITS] / t, 1), y),
    }
    if logits.shape[1] > DIGITS:
        digit_scores = not_digit_probability(logits, t)
        letter_scores = not_digit_probability(net(select["letters"][0]), t)

        # Rates per writer, averaged: every person counts the same, not every drawing.
        digit_weights, letter_weights = select["digitWriters"], select["letterWriters"]
        cost = [DIGIT_REFUSAL_COST * float((digit_weights * (digit_scores >= h)).sum())
                + float((letter_weights * (letter_scores < h)).sum()) for h in THRESHOLDS]
        threshold = float(THRESHOLDS[int(np.argmin(cost))])
        result["notDigit"] = {
            "threshold": threshold,
            "rule": f"not a digit when P(not a digit) >= threshold; the threshold minimises {DIGIT_REFUSAL_COST} x digits "
                    "refused + letters let through, each a mean over the select writers",
            "selectDigitsRefused": round(float((digit_scores >= threshold).float().mean()), 6),
            "selectLettersRefused": round(float((letter_scores >= threshold).float().mean()), 6),
        }
    return result
