"""Model versions: list them, or make one current (roll out or roll back).

    python3 -m training.versions list     [--from http://host:8787]
    python3 -m training.versions use 3    [--from http://host:8787]
    python3 -m training.versions rollback [--from http://host:8787]

Servers keep their versions in their database and every replica serves the one it calls current. With
--from (token from ADMIN_TOKEN) these commands work on that server's versions: `use` publishes a version
the server does not have yet (the .onnx and card from --model-dir) or makes a published one current, and
`rollback` goes to the version before the server's current one (the server's or the folder's). The folder (model/current.json) is
pointed at the same version whenever it holds it: it is what seeds an empty database and what
retraining fine-tunes from.
"""
import argparse
import json
import sys
from pathlib import Path

from .export import MODEL_NAME, card_file, model_file, point_to, weights_file
from .mnist import ROOT


def version_key(version: str) -> tuple[int, str]:
    return (int(version), "") if version.isdigit() else (-1, version)


def list_versions(model_dir: Path) -> list[dict]:
    cards = [json.loads(p.read_text()) for p in model_dir.glob(f"{MODEL_NAME}-v*.card.json")]
    return sorted(cards, key=lambda c: version_key(c["version"]))


def local_current(model_dir: Path) -> str:
    return json.loads((model_dir / "current.json").read_text())["version"]


def current_version(model_dir: Path, url: str | None = None) -> str:
    """The version served: the server's when given one and its weights are here, else the folder's."""
    if url:
        from .server_api import list_models
        served = (list_models(url)["current"] or {}).get("version")
        if served and (model_dir / weights_file(served)).exists():
            return served
        if served:
            print(f"{url} serves v{served}, whose weights are not in {model_dir}: using v{local_current(model_dir)}")
    return local_current(model_dir)


def next_version(model_dir: Path, url: str | None = None) -> str:
    """One more than any numbered version here or, given a URL, on that server."""
    versions = [c["version"] for c in list_versions(model_dir)]
    if url:
        from .server_api import list_models
        versions += [v["version"] for v in list_models(url)["versions"]]
    return str(max((int(v) for v in versions if v.isdigit()), default=0) + 1)


def previous_of(current: str, versions: list[str]) -> str:
    older = sorted((v for v in versions if version_key(v) < version_key(current)), key=version_key)
    if not older:
        raise SystemExit(f"there is no version older than v{current} to roll back to")
    return older[-1]


def use(model_dir: Path, version: str, url: str | None) -> None:
    here = (model_dir / card_file(version)).exists()
    if not here and not url:
        raise SystemExit(f"no model version {version} in {model_dir}")
    if here:
        point_to(model_dir, version)
        print(f"{model_dir / 'current.json'} now points at {MODEL_NAME} v{version}")
    if url:
        from .server_api import list_models, make_current, publish_model
        published = {v["version"] for v in list_models(url)["versions"]}
        if version in published:
            served = make_current(url, version)
        elif here:
            card = json.loads((model_dir / card_file(version)).read_text())
            served = publish_model(url, (model_dir / model_file(version)).read_bytes(), card)
        else:
            raise SystemExit(f"v{version} is neither on {url} nor in {model_dir}")
        if served["version"] != version:
            raise SystemExit(f"{url} serves v{served['version']}, not v{version}")
        print(f"{url} now serves {served['name']} v{served['version']}, and so does every replica on its database")


def print_versions(cards: list[dict], current: str | None) -> None:
    for card in sorted(cards, key=lambda c: version_key(c["version"])):
        evaluation = card.get("evaluation", {})
        mnist = evaluation.get("mnistTest", {}).get("accuracy")
        drawn = evaluation.get("drawnDigits", {}).get("accuracy")
        marker = "*" if card["version"] == current else " "
        print(f"{marker} v{card['version']:<8} {card.get('createdAt', '')}  MNIST {mnist}  drawn {drawn}  {card.get('file', '')}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["list", "use", "rollback"])
    parser.add_argument("version", nargs="?")
    parser.add_argument("--model-dir", type=Path, default=ROOT / "model")
    # --reload is the older name of --from.
    parser.add_argument("--from", "--reload", dest="url", metavar="URL", help="a running server (token from ADMIN_TOKEN)")
    args = parser.parse_args(argv)
    if args.command == "list":
        if args.url:
            from .server_api import list_models
            listed = list_models(args.url)
            print_versions([v["card"] for v in listed["versions"]], (listed["current"] or {}).get("version"))
        else:
            print_versions(list_versions(args.model_dir), local_current(args.model_dir))
    elif args.command == "use":
        if not args.version:
            parser.error("use needs a version")
        use(args.model_dir, args.version, args.url)
    else:
        if args.url:
            from .server_api import list_models
            listed = list_models(args.url)
            if not listed["current"]:
                raise SystemExit(f"{args.url} names no current version")
            # The folder's versions count too: one the server lacks is published by use().
            known = [v["version"] for v in listed["versions"]] + [c["version"] for c in list_versions(args.model_dir)]
            previous = previous_of(listed["current"]["version"], known)
        else:
            previous = previous_of(local_current(args.model_dir), [c["version"] for c in list_versions(args.model_dir)])
        use(args.model_dir, previous, args.url)


if __name__ == "__main__":
    main(sys.argv[1:])
