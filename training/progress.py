"""Progress bars that suit where the output goes: tqdm's bar on a terminal, a few plain lines a
minute in a log file or a pipe (tqdm would write every update there as one long line of carriage
returns)."""
import sys

from tqdm import tqdm

LOG_INTERVAL_S = 20


class _Lines:
    """A file-like target that turns each of tqdm's carriage-return refreshes into one line."""

    def __init__(self, out) -> None:
        self.out = out

    def write(self, text: str) -> None:
        text = text.strip("\r\n")
        if text:
            self.out.write(text + "\n")

    def flush(self) -> None:
        self.out.flush()


def progress(iterable, desc: str, unit: str):
    out = sys.stdout
    if out.isatty():
        return tqdm(iterable, desc=desc, unit=unit, dynamic_ncols=True, file=out)
    return tqdm(iterable, desc=desc, unit=unit, file=_Lines(out), ncols=100,
                mininterval=LOG_INTERVAL_S, maxinterval=LOG_INTERVAL_S * 3)
