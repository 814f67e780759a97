"""Accuracy, per-digit accuracy and the confusion matrix, in the shape the model card uses."""
import numpy as np


def classification_report(labels: np.ndarray, predicted: np.ndarray) -> dict:
    confusion = np.zeros((10, 10), dtype=np.int64)  # rows: true digit, columns: predicted digit
    np.add.at(confusion, (labels.astype(np.int64), predicted.astype(np.int64)), 1)
    per_digit = confusion.diagonal() / np.maximum(confusion.sum(1), 1)
    return {
        "count": int(len(labels)),
        "accuracy": round(float(confusion.trace() / max(len(labels), 1)), 6),
        "perDigitAccuracy": [round(float(a), 6) for a in per_digit],
        "confusion": confusion.tolist(),
    }
