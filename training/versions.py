"""Model versions in model/: list them, or point model/current.json at one (roll out or roll back).

    python3 -m training.versions list
    python3 -m training.versions use 3 [--reload http://host:8787]
    python3 -m training.versions rollback [--reload http://host:8787]
"""
import argparse
import json
import sys
from pathlib import Path

from .export import MODEL_NAME, card_file, point_to
from .mnist import ROOT


def version_key(version: str) -> tuple[int, str]:
    return (int(version), "") if version.isdigit() else (-1, version)


def list_versions(model_dir: Path) -> list[dict]:
    cards = [json.loads(p.read_text()) for p in model_dir.glob(f"{MODEL_NAME}-v*.card.json")]
    return sorted(cards, key=lambda c: version_key(c["version"]))


def current_version(model_dir: Path) -> str:
    return json.loads((model_dir / "current.json").read_text())["version"]


def next_version(model_dir: Path) -> str:
    numbered = [int(c["version"]) for c in list_versions(model_dir) if c["version"].isdigit()]
    return str(max(numbered, default=0) + 1)


def previous_version(model_dir: Path) -> str:
    current = version_key(current_version(model_dir))
    older = [c["version"] for c in list_versions(model_dir) if version_key(c["version"]) < current]
    if not older:
        raise SystemExit("there is no older version to roll back to")
    return older[-1]


def use(model_dir: Path, version: str, reload_url: str | None) -> None:
    if not (model_dir / card_file(version)).exists():
        raise SystemExit(f"no model version {version} in {model_dir}")
    point_to(model_dir, version)
    print(f"model/current.json now points at {MODEL_NAME} v{version}")
    if reload_url:
        from .server_api import request_reload
        served = request_reload(reload_url)
        if served["version"] != version:
            raise SystemExit(f"{reload_url} reloaded but serves v{served['version']}, not v{version}")
        print(f"{reload_url} now serves {served['name']} v{served['version']}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["list", "use", "rollback"])
    parser.add_argument("version", nargs="?")
    parser.add_argument("--model-dir", type=Path, default=ROOT / "model")
    parser.add_argument("--reload", metavar="URL", help="ask this running server to load the version")
    args = parser.parse_args(argv)
    if args.command == "list":
        current = current_version(args.model_dir)
        for card in list_versions(args.model_dir):
            mnist = card["evaluation"]["mnistTest"]["accuracy"]
            drawn = card["evaluation"].get("drawnDigits", {}).get("accuracy")
            marker = "*" if card["version"] == current else " "
            print(f"{marker} v{card['version']:<8} {card['createdAt']}  MNIST {mnist:.4f}  drawn {drawn}  {card['file']}")
    elif args.command == "use":
        if not args.version:
            parser.error("use needs a version")
        use(args.model_dir, args.version, args.reload)
    else:
        use(args.model_dir, previous_version(args.model_dir), args.reload)


if __name__ == "__main__":
    main(sys.argv[1:])
