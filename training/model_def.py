"""The digit classifier: a small CNN whose input is the project's 28x28 contract (0..1, white ink on black)."""
import torch
from torch import nn

# MNIST training-set pixel statistics; normalisation lives inside the graph so callers send raw 0..1 pixels.
MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


def conv_block(cin: int, cout: int, kernel: int = 3) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class DigitCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            conv_block(1, 32, 5),   # 28x28
            nn.MaxPool2d(2),        # 14x14
            conv_block(32, 64),
            conv_block(64, 64),
            nn.MaxPool2d(2),        # 7x7
            conv_block(64, 128),
            nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(128, 10))

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """pixels [N, 1, 28, 28] in 0..1 -> logits [N, 10]."""
        return self.classifier(self.features((pixels - MNIST_MEAN) / MNIST_STD))


class ExportWrapper(nn.Module):
    """What the ONNX file contains: the CNN plus a temperature-scaled softmax (see calibrate.py),
    so servers read calibrated probabilities directly."""

    def __init__(self, net: DigitCNN, temperature: float = 1.0) -> None:
        super().__init__()
        self.net = net
        self.register_buffer("temperature", torch.tensor(float(temperature)))

    def forward(self, pixels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.net(pixels)
        return torch.softmax(logits / self.temperature, dim=1), logits


def parameter_count(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())
