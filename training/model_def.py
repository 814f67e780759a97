"""The digit classifiers. Both take the project's 28x28 contract (0..1, white ink on black).

v1 reads ten digits (15 M multiply-adds an image). v2 reads ten digits and an eleventh class,
"not a digit" (letters, scribbles, shapes), at 4.8 M multiply-adds: most of its work is at 14x14
and 7x7, and the last convolution drops the 7x7 border instead of padding it.
"""
import torch
from torch import nn

# MNIST training-set pixel statistics; normalisation lives inside the graph so callers send raw 0..1 pixels.
MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
DIGITS = 10
NOT_A_DIGIT = 10  # v2's eleventh class


def conv_block(cin: int, cout: int, kernel: int = 3, padding: int | None = None) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, kernel, padding=kernel // 2 if padding is None else padding, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class DigitCNN(nn.Module):
    """v1: ten digits, 15 M multiply-adds."""
    classes = DIGITS

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


class DigitCNNv2(nn.Module):
    """v2: ten digits and "not a digit", 4.8 M multiply-adds."""
    classes = DIGITS + 1

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            conv_block(1, 24, 5),              # 28x28
            nn.MaxPool2d(2),                   # 14x14
            conv_block(24, 48),
            nn.MaxPool2d(2),                   # 7x7
            conv_block(48, 64),
            conv_block(64, 64, padding=0),     # 5x5
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.25), nn.Linear(64 * 5 * 5, self.classes))

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """pixels [N, 1, 28, 28] in 0..1 -> logits [N, 11]."""
        return self.classifier(self.features((pixels - MNIST_MEAN) / MNIST_STD))


ARCHITECTURES = {"digit-cnn-v1": DigitCNN, "digit-cnn-v2": DigitCNNv2}


class ExportWrapper(nn.Module):
    """What the ONNX file contains: the CNN, temperature-scaled softmax over the digits (see
    calibrate.py) and, for a model with the eleventh class, whether the drawing is a digit at all,
    so servers read calibrated answers directly and need nothing beside the file."""

    def __init__(self, net: nn.Module, temperature: float = 1.0, not_digit_threshold: float = 0.5) -> None:
        super().__init__()
        self.net = net
        self.register_buffer("temperature", torch.tensor(float(temperature)))
        self.register_buffer("threshold", torch.tensor(float(not_digit_threshold)))

    def forward(self, pixels: torch.Tensor):
        logits = self.net(pixels)
        scaled = logits / self.temperature
        probabilities = torch.softmax(scaled[:, :DIGITS], dim=1)
        if self.net.classes == DIGITS:
            return probabilities, logits
        not_digit = torch.softmax(scaled, dim=1)[:, NOT_A_DIGIT:]
        return probabilities, logits, not_digit, not_digit < self.threshold


def output_names(net: nn.Module) -> list[str]:
    names = ["probabilities", "logits"]
    return names + ["notDigit", "isDigit"] if net.classes > DIGITS else names


def parameter_count(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


def multiply_adds(net: nn.Module) -> int:
    """Multiply-adds of one 28x28 image through the convolutions and linear layers."""
    total = 0

    def count(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Conv2d):
            total += output.numel() * module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, nn.Linear):
            total += module.in_features * module.out_features

    hooks = [m.register_forward_hook(count) for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = net.training
    net.eval()
    with torch.no_grad():
        net(torch.zeros(1, 1, 28, 28))
    net.train(was_training)
    for h in hooks:
        h.remove()
    return total
