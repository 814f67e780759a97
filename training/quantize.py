"""Post-training int8 quantization of an exported model version: a new version that serves faster.

    python3 -m training.quantize --from 2 --version 3

The float ONNX graph gets QuantizeLinear/DequantizeLinear pairs (the "QDQ" format, which ONNX Runtime
turns into its integer kernels when it loads the graph): weights int8, symmetric, one scale per output
channel; activations uint8, one scale per tensor, from the largest value each layer gives on calibration
drawings of the training writers and MNIST training images (never the select or test writers). The input
is quantized once, every convolution, ReLU and max-pool runs on 8-bit values, and the classifier (a 1600x11
matrix), the temperature, the softmax and the not-a-digit rule stay in float. The weights file and the
calibration are the parent's; the card records the quantization and reference outputs that a float
simulation of the same arithmetic (`QuantizedReference`) computes in PyTorch.
"""
import argparse
import copy
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper

from . import unipen
from .calibrate import select_set
from .datasets import mnist_split, render
from .export import card_file, load_weights, model_file, weights_file, write_card
from .metrics import classification_report
from .model_def import MNIST_MEAN, MNIST_STD, NOT_A_DIGIT, ExportWrapper
from .train import accuracy, predict

SEED = 20261206
CALIBRATION_IMAGES = 4000
# The input's range after the graph's normalisation: pixels 0..1.
INPUT_LOW, INPUT_HIGH = (0 - MNIST_MEAN) / MNIST_STD, (1 - MNIST_MEAN) / MNIST_STD


def uint8_params(low: float, high: float) -> tuple[float, int]:
    """Scale and zero point that cover [low, high] (and 0) in uint8."""
    low, high = min(low, 0.0), max(high, 0.0)
    scale = (high - low) / 255.0
    return scale, int(round(-low / scale))


def weight_params(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 weights, symmetric, one scale per output channel."""
    flat = np.abs(weight.reshape(weight.shape[0], -1)).max(axis=1)
    scales = np.maximum(flat, 1e-12) / 127.0
    shape = (-1,) + (1,) * (weight.ndim - 1)
    return np.clip(np.round(weight / scales.reshape(shape)), -127, 127).astype(np.int8), scales.astype(np.float32)


@torch.no_grad()
def relu_maxima(net: torch.nn.Module, images: torch.Tensor, percentile: float) -> list[float]:
    """Each ReLU's output range on `images`: the given percentile of its values (100: the largest)."""
    relus = [block[2] for block in net.features if isinstance(block, torch.nn.Sequential)]
    values: list[list[torch.Tensor]] = [[] for _ in relus]
    hooks = [relu.register_forward_hook(lambda _m, _i, out, k=k: values[k].append(out.flatten()))
             for k, relu in enumerate(relus)]
    try:
        for batch in images.split(512):
            net(batch)
    finally:
        for hook in hooks:
            hook.remove()
    maxima = []
    for chunks in values:
        v = torch.cat(chunks).numpy()
        maxima.append(float(np.percentile(v, percentile)) if percentile < 100 else float(v.max()))
    return maxima


class QuantizedReference(torch.nn.Module):
    """What the quantized graph computes, in float: every quantized value rounded exactly as the graph's
    QuantizeLinear rounds it. ONNX Runtime's integer kernels compute the same (within 1e-6 on the reference inputs)."""

    def __init__(self, net: torch.nn.Module, plan: dict) -> None:
        super().__init__()
        self.net = copy.deepcopy(net).eval()
        self.classes = net.classes
        self.plan = plan

    @staticmethod
    def fake(x: torch.Tensor, scale: float, zero: int) -> torch.Tensor:
        # ONNX QuantizeLinear: saturate(round_half_to_even(x / scale) + zero); torch.round rounds half to even.
        return (torch.clamp(torch.round(x / scale) + zero, 0, 255) - zero) * scale

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.fake((pixels - MNIST_MEAN) / MNIST_STD, *self.plan["input"])
        layers = iter(self.plan["layers"])
        for block in self.net.features:
            if isinstance(block, torch.nn.Sequential):
                layer = next(layers)
                conv = block[0]
                w = torch.from_numpy(layer["weight_int8"].astype(np.float32) * layer["weight_scales"].reshape(-1, 1, 1, 1))
                b = torch.from_numpy(layer["bias_int32"].astype(np.float32) * layer["bias_scales"])
                x = F.relu(F.conv2d(x, w, b, padding=conv.padding))
                x = self.fake(x, layer["scale"], 0)
            else:
                x = block(x)  # max-pool: the largest of values already on the grid stays on it
        return self.net.classifier(x)


def quantization_plan(model: onnx.ModelProto, maxima: list[float]) -> dict:
    """Scales, zero points and integer weights for the graph's convolutions (their batch norms already
    folded in by the export), given each ReLU's range."""
    initializers = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    convs = [n for n in model.graph.node if n.op_type == "Conv"]
    if len(convs) != len(maxima):
        raise ValueError(f"the graph has {len(convs)} convolutions, the network {len(maxima)} ReLUs")
    input_scale, input_zero = uint8_params(INPUT_LOW, INPUT_HIGH)
    layers, in_scale = [], input_scale
    for conv, high in zip(convs, maxima):
        weight_int8, weight_scales = weight_params(initializers[conv.input[1]].astype(np.float32))
        bias_scales = (in_scale * weight_scales).astype(np.float32)
        out_scale, _ = uint8_params(0.0, high)
        bias = initializers[conv.input[2]].astype(np.float32)
        layers.append({"weight_int8": weight_int8, "weight_scales": weight_scales,
                       "bias_int32": np.round(bias / bias_scales).astype(np.int32), "bias_scales": bias_scales,
                       "scale": out_scale})
        in_scale = out_scale
    return {"input": (input_scale, input_zero), "layers": layers}


def quantize_graph(model: onnx.ModelProto, plan: dict) -> onnx.ModelProto:
    """The exported float graph with QDQ pairs on the input and on every convolution's weights, bias and
    output (after its ReLU, and again after a max-pool, with the same scale)."""
    model = copy.deepcopy(model)
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    convs = [n for n in graph.node if n.op_type == "Conv"]
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    added: list[onnx.TensorProto] = []
    after: dict[int, list[onnx.NodeProto]] = {}  # nodes to insert after the node with this id
    constants: list[onnx.NodeProto] = []  # the weights' DequantizeLinear nodes, first in the graph

    def constant(name: str, array: np.ndarray) -> str:
        added.append(numpy_helper.from_array(array, name))
        return name

    def qdq(node: onnx.NodeProto, tensor: str, scale: float, zero: int, tag: str) -> None:
        """Quantizes `tensor` and hands its consumers the dequantized value."""
        s = constant(f"{tag}_scale", np.array(scale, np.float32))
        z = constant(f"{tag}_zero", np.array(zero, np.uint8))
        q = helper.make_node("QuantizeLinear", [tensor, s, z], [f"{tag}_q"], name=f"{tag}_Quantize")
        dq = helper.make_node("DequantizeLinear", [f"{tag}_q", s, z], [f"{tag}_dq"], name=f"{tag}_Dequantize")
        for consumer in consumers.get(tensor, []):
            consumer.input[:] = [f"{tag}_dq" if name == tensor else name for name in consumer.input]
        consumers[f"{tag}_dq"] = consumers.pop(tensor, [])
        after.setdefault(id(node), []).extend([q, dq])

    producer = {out: node for node in graph.node for out in node.output}
    first = convs[0]
    qdq(producer[first.input[0]], first.input[0], *plan["input"], "input")
    for k, (conv, layer) in enumerate(zip(convs, plan["layers"])):
        for role, (values, scales, dtype) in {1: (layer["weight_int8"], layer["weight_scales"], np.int8),
                                              2: (layer["bias_int32"], layer["bias_scales"], np.int32)}.items():
            name = conv.input[role]
            graph.initializer.remove(initializers[name])
            q = constant(f"{name}_quantized", values)
            s = constant(f"{name}_scale", scales)
            z = constant(f"{name}_zero", np.zeros(len(scales), dtype))
            dq = helper.make_node("DequantizeLinear", [q, s, z], [f"{name}_dq"], name=f"{name}_Dequantize", axis=0)
            constants.append(dq)
            conv.input[role] = f"{name}_dq"
        relu = consumers[conv.output[0]][0]
        if relu.op_type != "Relu":
            raise ValueError(f"convolution {conv.name} is not followed by a ReLU")
        qdq(relu, relu.output[0], layer["scale"], 0, f"layer{k}")
        after_relu = consumers.get(f"layer{k}_dq", [])
        if len(after_relu) == 1 and after_relu[0].op_type == "MaxPool":
            pool = after_relu[0]
            qdq(pool, pool.output[0], layer["scale"], 0, f"layer{k}_pool")
    nodes = list(constants)
    for node in graph.node:
        nodes.append(node)
        nodes.extend(after.get(id(node), []))
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(added)
    onnx.checker.check_model(model)
    return model


def calibration_images(count: int, seed: int = SEED) -> torch.Tensor:
    """MNIST training images and the UNIPEN training writers' digits and letters, as the page draws them."""
    rng = np.random.default_rng(seed)
    mnist_images, _ = mnist_split("train", count // 2)
    digits = unipen.load("digits", "train")
    letters = unipen.load("letters", "train")
    pick = lambda items, n: [items[i] for i in rng.choice(len(items), size=min(n, len(items)), replace=False)]
    drawn, _ = render(pick(digits, count * 2 // 5), rng)
    drawn_letters, _ = render(pick(letters, count // 10), rng, label=NOT_A_DIGIT)
    return torch.cat([mnist_images, drawn, drawn_letters])


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="parent", required=True, help="the float version to quantize (its .onnx, .pt and card)")
    p.add_argument("--version", required=True, help="the new version's name (the parent's own: quantized in place)")
    p.add_argument("--model-dir", type=Path, default=Path("model"), help="folder of the versions and current.json")
    p.add_argument("--calibration-images", type=int, default=CALIBRATION_IMAGES,
                   help="drawings the activation ranges are measured on (half MNIST training images, the rest "
                        "UNIPEN training writers' digits and letters)")
    p.add_argument("--percentile", type=float, default=100.0,
                   help="each activation's range: this percentile of its calibration values (100: the largest)")
    p.add_argument("--no-select", action="store_true",
                   help="skip comparing float and int8 on the select writers' digits (what the choice rests on)")
    p.add_argument("--no-current", action="store_true", help="write the version without making it current")
    return p.parse_args(argv)


def quantize(model_dir: Path, parent: str, version: str, *, calibration_count: int = CALIBRATION_IMAGES,
             percentile: float = 100.0, compare_select: bool = True, make_current: bool = True) -> dict:
    """Writes `version` as the int8 graph of float version `parent`, with its card; `version` may be
    `parent` itself (a new version that retraining has just written in float)."""
    torch.manual_seed(SEED)
    parent_card = json.loads((model_dir / card_file(parent)).read_text())
    net = load_weights(model_dir, parent)
    float_graph = onnx.load(str(model_dir / model_file(parent)))
    plan = quantization_plan(float_graph, relu_maxima(net, calibration_images(calibration_count), percentile))
    reference_net = QuantizedReference(net, plan).eval()
    x_test, y_test = mnist_split("t10k")
    mnist_report = classification_report(y_test.numpy(), predict(reference_net, x_test).numpy())
    quantization = {
        **({"parent": parent} if version != parent else {}),
        "scheme": "post-training static, QDQ: weights int8 symmetric per output channel, activations uint8 per "
                  "tensor; the classifier, softmax and not-a-digit rule in float",
        "calibration": f"{len(plan['layers'])} activation ranges, the {percentile:g}th percentile of each on "
                       f"{calibration_count} drawings: MNIST training images and UNIPEN training writers' digits "
                       "and letters",
    }
    if compare_select:
        x_select, y_select = select_set()["digits"]
        chosen = {"float": accuracy(net, x_select, y_select), "quantized": accuracy(reference_net, x_select, y_select)}
        print(f"select writers' digits: float {chosen['float']:.4%}, int8 {chosen['quantized']:.4%}", file=sys.stderr)
        quantization["selectWritersDigits"] = {"count": len(y_select), **{k: round(v, 6) for k, v in chosen.items()}}

    out = model_dir / model_file(version)
    onnx.save(quantize_graph(float_graph, plan), str(out))
    if version != parent:
        shutil.copyfile(model_dir / weights_file(parent), model_dir / weights_file(version))
    calibration = parent_card["calibration"]
    threshold = calibration.get("notDigit", {}).get("threshold", 0.5)
    with torch.no_grad():
        probabilities, logits, *_ = ExportWrapper(reference_net, calibration["temperature"], threshold)(x_test[:16])
    # What described the parent's float graph goes; a version retrained in place keeps its gate and feedback.
    dropped = {"evaluation", "referenceOutputs"} | ({"gate", "feedback"} if version != parent else set())
    card = {k: v for k, v in parent_card.items() if k not in dropped}
    card.update({
        "version": version,
        "file": out.name,
        "weights": weights_file(version),
        "quantization": quantization,
        "evaluation": {"mnistTest": {"runtime": f"PyTorch {torch.__version__}, float simulation of the int8 graph",
                                     **mnist_report}},
        "referenceOutputs": {
            "inputs": "the first 16 MNIST test images, pixels/255",
            "computedBy": "QuantizedReference (training/quantize.py): the int8 graph's arithmetic in float",
            "probabilities": probabilities.tolist(),
            "logits": logits.tolist(),
        },
    })
    return write_card(card, model_dir, make_current=make_current)


def main() -> None:
    args = parse_args(sys.argv[1:])
    card = quantize(args.model_dir, args.parent, args.version, calibration_count=args.calibration_images,
                    percentile=args.percentile, compare_select=not args.no_select, make_current=not args.no_current)
    print(json.dumps({k: card[k] for k in ("name", "version", "file", "sha256")}, indent=2))


if __name__ == "__main__":
    main()
