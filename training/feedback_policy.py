"""Which feedback retraining uses, and which of it trains and which gates.

Labels come from the public, so no single client may steer a new model:

- held for review: a label the server flags (`heldForReview`: it contradicts a reading of 99% or more)
  is left out unless --include-held says otherwise; it stays in the database for someone to look at.
- capped per client: at most --max-per-client rows of one client, at most --max-per-client-label
  of them with any one label, and at most --max-per-client-correction of them with any one label that
  contradicts what the served model read, so a flood of one digit from one source counts as a few rows.
  A correction is what can steer a model, so it gets the smaller cap: a new style many people draw is
  still learnt from the many, a few rows each. A drawing one client sent more than once counts once.
- split by client: all of a client's rows train or all of them gate, so one source cannot both teach a
  change and pass it. Rows without a client (made before clients were recorded) count as one client.
- one client alone (an operator correcting from one machine, a new deployment's first visitor) is
  neither capped nor split by client, for there is no other source to weigh it against: its rows are
  split by row into training and gate, and the outcome says the gate was not independent of the source
  that trained it (`singleSource`), so a person decides whether to trust that version.

Clients are the export's `clientHash` (a keyed hash of the address; the address never leaves the
server). Which rows a cap keeps, and which clients gate, is decided by hashes, so a run on the same
export always chooses the same; the gate is the clients whose hash falls in the --holdout share, and
at least one client (and never all) whenever there are two or more.
"""
import argparse
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

UNKNOWN_CLIENT = "unknown"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-per-client", type=int, default=50, help="most feedback rows one client contributes")
    p.add_argument("--max-per-client-label", type=int, default=8,
                   help="most feedback rows one client contributes with any one label")
    p.add_argument("--max-per-client-correction", type=int, default=3,
                   help="most feedback rows one client contributes with any one label that contradicts "
                        "the served model's reading")
    p.add_argument("--include-held", action="store_true",
                   help="also use labels held for review (they contradict a reading of 99%% or more)")


@dataclass
class Selection:
    train: list[dict]
    gate: list[dict]
    held_for_review: list[dict]
    capped: list[dict]
    clients: int
    gate_clients: int
    single_source: bool = False

    def summary(self) -> str:
        if self.single_source:
            return (f"{len(self.train)} to train on and {len(self.gate)} to gate, all from one client: the gate "
                    f"is not independent of what trained it; {len(self.held_for_review)} held for review")
        return (f"{len(self.train)} to train on and {len(self.gate)} to gate, from {self.clients} clients "
                f"({self.gate_clients} gating); {len(self.held_for_review)} held for review, "
                f"{len(self.capped)} over a client's cap")

    def card(self) -> dict:
        """What the model card records beside the rows that trained it."""
        return {"clients": self.clients, "gateClients": self.gate_clients, "singleSource": self.single_source,
                "heldForReviewIds": sorted(r["id"] for r in self.held_for_review),
                "cappedIds": sorted(r["id"] for r in self.capped)}


def _rank(text: str) -> float:
    """A position in [0, 1) from a hash: stable across runs, unrelated to the order of the export."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) / 16 ** 12


def client_of(row: dict) -> str:
    return row.get("clientHash") or UNKNOWN_CLIENT


def contradicts(row: dict) -> bool:
    """Whether the label corrects the served reading (a hand-made file without readings never does)."""
    return row.get("predictedDigit") is not None and row["trueLabel"] != row["predictedDigit"]


def cap(rows: list[dict], max_rows: int, max_per_label: int, max_per_correction: int) -> tuple[list[dict], list[dict]]:
    """One client's rows within its caps, and the rest."""
    kept, over = [], []
    per_label: Counter = Counter()
    corrections: Counter = Counter()
    seen: set[bytes] = set()
    for r in sorted(rows, key=lambda r: _rank(r["id"])):
        label, correcting = r["trueLabel"], contradicts(r)
        drawing = bytes(r["input"]) if "input" in r else None
        if (len(kept) < max_rows and per_label[label] < max_per_label and drawing not in seen
                and (not correcting or corrections[label] < max_per_correction)):
            kept.append(r)
            per_label[label] += 1
            corrections[label] += correcting
            if drawing is not None:
                seen.add(drawing)
        else:
            over.append(r)
    return kept, over


def gating_clients(clients: list[str], share: float) -> set[str]:
    """The clients whose rows gate: those whose hash falls within `share`; with two or more clients at
    least one and never all (the lowest or highest ranked moves over)."""
    if len(clients) < 2:
        return set()
    ranked = sorted(clients, key=_rank)
    gate = {c for c in ranked if _rank(c) < share}
    if not gate:
        gate = {ranked[0]}
    elif len(gate) == len(ranked):
        gate.discard(ranked[-1])
    return gate


def select(rows: list[dict], holdout: float, max_per_client: int, max_per_client_label: int,
           max_per_client_correction: int, include_held: bool = False) -> Selection:
    held = [] if include_held else [r for r in rows if r.get("heldForReview")]
    usable = rows if include_held else [r for r in rows if not r.get("heldForReview")]
    by_client: dict[str, list[dict]] = defaultdict(list)
    for r in usable:
        by_client[client_of(r)].append(r)
    if len(by_client) == 1:
        gate = [r for r in usable if _rank(r["id"]) < holdout]
        train = [r for r in usable if _rank(r["id"]) >= holdout]
        return Selection(train=train, gate=gate, held_for_review=held, capped=[], clients=1, gate_clients=0,
                         single_source=True)
    gate_clients = gating_clients(list(by_client), holdout)
    train, gate, capped = [], [], []
    for client, client_rows in by_client.items():
        kept, over = cap(client_rows, max_per_client, max_per_client_label, max_per_client_correction)
        (gate if client in gate_clients else train).extend(kept)
        capped.extend(over)
    return Selection(train=train, gate=gate, held_for_review=held, capped=capped,
                     clients=len(by_client), gate_clients=len(gate_clients))


def select_from_args(rows: list[dict], args: argparse.Namespace) -> Selection:
    return select(rows, args.holdout, args.max_per_client, args.max_per_client_label,
                  args.max_per_client_correction, args.include_held)
