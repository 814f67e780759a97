"""ONNX export, model card and the pointer to the current model version."""
import datetime
import hashlib
import json
from pathlib import Path

import torch

from .model_def import ARCHITECTURES, DIGITS, ExportWrapper, multiply_adds, output_names

MODEL_NAME = "digit-cnn"
OPSET = 13


def model_file(version: str) -> str:
    return f"{MODEL_NAME}-v{version}.onnx"


def card_file(version: str) -> str:
    return f"{MODEL_NAME}-v{version}.card.json"


def weights_file(version: str) -> str:
    """PyTorch weights beside the ONNX file: what retraining fine-tunes from."""
    return f"{MODEL_NAME}-v{version}.pt"


def architecture_of(out_dir: Path, version: str) -> str:
    card = json.loads((out_dir / card_file(version)).read_text())
    return card.get("architecture", "digit-cnn-v1")  # v1's card predates the field


def load_weights(out_dir: Path, version: str) -> torch.nn.Module:
    net = ARCHITECTURES[architecture_of(out_dir, version)]()
    net.load_state_dict(torch.load(out_dir / weights_file(version), map_location="cpu"))
    return net.eval()


def export_onnx(net: torch.nn.Module, path: Path, temperature: float, threshold: float) -> None:
    net.eval()
    names = output_names(net)
    torch.onnx.export(
        ExportWrapper(net, temperature, threshold), torch.zeros(1, 1, 28, 28), str(path),
        input_names=["pixels"], output_names=names,
        dynamic_axes={name: {0: "batch"} for name in ["pixels", *names]},
        opset_version=OPSET, do_constant_folding=True,
    )


def point_to(out_dir: Path, version: str) -> None:
    """model/current.json names the version servers load."""
    pointer = {"name": MODEL_NAME, "version": version, "file": model_file(version), "card": card_file(version)}
    (out_dir / "current.json").write_text(json.dumps(pointer, indent=2) + "\n")


def describe_outputs(net: torch.nn.Module) -> dict:
    outputs = {"probabilities": "float32 [N, 10], softmax(logits / temperature) over digits 0-9",
               "logits": f"float32 [N, {net.classes}], before softmax"}
    if net.classes > DIGITS:
        outputs["logits"] += "; the eleventh is \"not a digit\""
        outputs["notDigit"] = "float32 [N, 1], probability that the drawing is not a digit (softmax over all 11)"
        outputs["isDigit"] = "bool [N, 1], notDigit < calibration.notDigit.threshold"
    return outputs


def write_model(net: torch.nn.Module, *, out_dir: Path, version: str, training: dict, parameters: int,
                mnist_test: dict, reference_inputs: torch.Tensor, calibration: dict,
                evaluation: dict | None = None, extra: dict | None = None, make_current: bool = True) -> dict:
    """Writes the .onnx, its weights and card (with reference outputs); optionally makes it current."""
    architecture = next(name for name, cls in ARCHITECTURES.items() if type(net) is cls)
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = out_dir / model_file(version)
    temperature = calibration["temperature"]
    threshold = calibration.get("notDigit", {}).get("threshold", 0.5)
    export_onnx(net, onnx_path, temperature, threshold)
    torch.save(net.state_dict(), out_dir / weights_file(version))

    # Reference outputs let the serving runtime prove it computes what PyTorch computes.
    with torch.no_grad():
        probabilities, logits, *_ = ExportWrapper(net.eval(), temperature, threshold)(reference_inputs)
    reference = {
        "inputs": "the first {} MNIST test images, pixels/255".format(len(reference_inputs)),
        "probabilities": probabilities.tolist(),
        "logits": logits.tolist(),
    }

    card = {
        "name": MODEL_NAME,
        "version": version,
        "file": onnx_path.name,
        "weights": weights_file(version),
        "architecture": architecture,
        "parameters": parameters,
        "multiplyAdds": multiply_adds(net),
        "onnx": {
            "opset": OPSET,
            "inputs": {"pixels": "float32 [N, 1, 28, 28], 0..1, white ink on black, MNIST-style "
                                 "(fitted to 20x20, centre of mass at (14, 14)); normalisation is inside the graph"},
            "outputs": describe_outputs(net),
        },
        "training": training,
        "calibration": calibration,
        "evaluation": {"mnistTest": {"runtime": training["framework"], **mnist_test}, **(evaluation or {})},
        "referenceOutputs": reference,
        **(extra or {}),
    }
    return write_card(card, out_dir, make_current=make_current)


def write_card(card: dict, out_dir: Path, make_current: bool = True) -> dict:
    """Stamps the card with its ONNX file's hash, size and the time, writes it beside the file, and
    optionally makes that version current."""
    data = (out_dir / card["file"]).read_bytes()
    stamped = {**card, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
               "createdAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    order = ["name", "version", "file", "weights", "sha256", "bytes", "createdAt"]
    stamped = {**{k: stamped[k] for k in order if k in stamped}, **stamped}
    (out_dir / card_file(card["version"])).write_text(json.dumps(stamped, indent=2) + "\n")
    if make_current:
        point_to(out_dir, card["version"])
    return stamped
