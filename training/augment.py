"""Batched augmentation that makes MNIST digits look like what people draw on a canvas.

Canvas strokes differ from MNIST's scanned pen strokes: uniform width (thin or fat brushes), hard
anti-aliased edges, hand-held slant and proportions. Every op works on a whole batch [N, 1, 28, 28]
in 0..1 so augmentation costs little next to the forward/backward pass.
"""
import math

import torch
import torch.nn.functional as F


def _pick(n: int, p: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=gen) < p


def _uniform(n: int, lo: float, hi: float, gen: torch.Generator) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, generator=gen)


def stroke_width(x: torch.Tensor, gen: torch.Generator, p: float = 0.5) -> torch.Tensor:
    """Thicker or thinner strokes: blend towards a 3x3 dilation or erosion by a random amount."""
    n = x.shape[0]
    amount = _uniform(n, 0.3, 1.0, gen).view(n, 1, 1, 1)
    dilated = F.max_pool2d(x, 3, stride=1, padding=1)
    eroded = -F.max_pool2d(-x, 3, stride=1, padding=1)
    thicker = _pick(n, p / 2, gen).view(n, 1, 1, 1)
    thinner = (~thicker) & _pick(n, p / 2, gen).view(n, 1, 1, 1)
    out = torch.where(thicker, x + amount * (dilated - x), x)
    # Erosion can erase thin digits entirely; keep it gentle.
    return torch.where(thinner, out + 0.6 * amount * (eroded - out), out)


def solid_ink(x: torch.Tensor, gen: torch.Generator, p: float = 0.3) -> torch.Tensor:
    """Canvas ink is solid with soft edges: a steep sigmoid around a random threshold."""
    n = x.shape[0]
    threshold = _uniform(n, 0.25, 0.6, gen).view(n, 1, 1, 1)
    def ramp(v: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid((v - threshold) * 12.0)

    # Rescaled so the background stays exactly 0 and full ink exactly 1.
    low, high = ramp(torch.zeros(())), ramp(torch.ones(()))
    solid = (ramp(x) - low) / (high - low)
    return torch.where(_pick(n, p, gen).view(n, 1, 1, 1), solid, x)


def affine(x: torch.Tensor, gen: torch.Generator, max_degrees: float = 15.0, max_shear: float = 0.25,
           scale: tuple[float, float] = (0.85, 1.1), max_aspect: float = 0.15, max_shift: float = 1.5) -> torch.Tensor:
    """Rotation, shear (slant), scale, aspect ratio and a small shift, sampled per image."""
    n = x.shape[0]
    angle = _uniform(n, -max_degrees, max_degrees, gen) * math.pi / 180
    shear = _uniform(n, -max_shear, max_shear, gen)
    s = _uniform(n, *scale, gen)
    aspect = torch.exp(_uniform(n, -max_aspect, max_aspect, gen))
    sx, sy = s * aspect, s / aspect
    cos, sin = torch.cos(angle), torch.sin(angle)
    # affine_grid maps output to input coordinates, so build the inverse of rotate * shear * scale.
    a = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)
    a = a @ torch.stack([torch.stack([torch.ones(n), shear], 1), torch.stack([torch.zeros(n), torch.ones(n)], 1)], 1)
    a = a @ torch.diag_embed(torch.stack([sx, sy], 1))
    inverse = torch.linalg.inv(a)
    shift = _uniform(2 * n, -max_shift, max_shift, gen).view(n, 2, 1) * (2 / 28)
    theta = torch.cat([inverse, shift], 2)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def canvas_like(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    out = affine(solid_ink(stroke_width(x, gen), gen), gen).clamp_(0, 1)
    # The input contract stretches every drawing's strongest ink to 1; do the same here.
    peak = out.amax(dim=(1, 2, 3), keepdim=True).clamp_(min=1e-6)
    return out / peak
