"""The trainer: takes the retraining jobs queued on the admin page and runs them, one at a time.

    ADMIN_TOKEN=... python3 -m training.trainer --from URL [--once] [--poll 5] [-- retrain options]

Each turn it claims the oldest queued job (POST /api/admin/retrain-jobs/claim), runs exactly what
`npm run retrain -- --from URL` runs (training/cli.mjs: fine-tune, gate, and on acceptance evaluate and
publish the new version), posts its latest output line as the job's progress, and finishes the job with
the gate's verdict and figures: accepted, refused, or failed when the run itself broke. With --once it
runs at most one job and returns; otherwise it polls, and a server that cannot be reached is retried."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import server_api

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "training" / "cli.mjs"
# Progress is posted at most this often; the page polls every 2 s.
PROGRESS_INTERVAL_S = 1.0
PROGRESS_CHARS = 500  # what the server keeps of a line
TAIL_LINES = 5


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--from", dest="url", required=True, help="base URL of the server (token from ADMIN_TOKEN)")
    p.add_argument("--once", action="store_true", help="run at most one job, then exit")
    p.add_argument("--poll", type=float, default=5.0, help="seconds between claims while no job waits")
    p.add_argument("retrain_args", nargs=argparse.REMAINDER, help="after --: options passed to retrain")
    args = p.parse_args(argv)
    args.retrain_args = [a for a in args.retrain_args if a != "--"]
    return args


def run_retrain(url: str, extra: list[str], report) -> tuple[int, dict | None, list[str]]:
    """Runs `cli.mjs retrain --from URL`, calling report(line) with its output lines; returns its exit
    status, the outcome it wrote (None if none), and its last lines."""
    node = os.environ.get("NODE") or shutil.which("node") or "node"
    with tempfile.TemporaryDirectory(prefix="trainer-") as work:
        result_file = Path(work) / "result.json"
        command = [node, str(CLI), "retrain", "--from", url, *extra, "--result", str(result_file)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        tail: list[str] = []
        with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, bufsize=1) as child:
            for raw in child.stdout:
                sys.stdout.write(raw)
                line = raw.strip()
                if line:
                    tail = (tail + [line])[-TAIL_LINES:]
                    report(line)
        outcome = json.loads(result_file.read_text()) if result_file.exists() else None
        return child.returncode, outcome, tail


def verdict(status: int, outcome: dict | None, tail: list[str]) -> tuple[str, dict]:
    """accepted only once the new version is published (exit 0); refused by the gate (exit 3); else failed."""
    if outcome is not None and status == 0 and outcome.get("accepted"):
        return "accepted", outcome
    if outcome is not None and status == 3 and not outcome.get("accepted"):
        return "refused", outcome
    reason = f"retraining exited with status {status}" + (f": {tail[-1]}" if tail else "")
    return "failed", {**(outcome or {}), "accepted": False, "reasons": [reason], "output": tail}


def run_one(args: argparse.Namespace) -> dict | None:
    """Claims and runs one job; returns it as finished, or None when none was queued."""
    job = server_api.post_retrain_job(args.url, "/claim")["job"]
    if job is None:
        return None
    job_id = job["id"]
    print(f"retraining job {job_id}: started", flush=True)
    last = 0.0

    def report(line: str) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_INTERVAL_S:
            last = time.monotonic()
            try:
                server_api.post_retrain_job(args.url, f"/{job_id}/progress", {"progress": line[:PROGRESS_CHARS]})
            except SystemExit as error:  # progress is best effort; the verdict is what counts
                print(f"progress not posted: {error}", file=sys.stderr)

    try:
        state, result = verdict(*run_retrain(args.url, args.retrain_args, report))
    except Exception as error:  # noqa: BLE001 - whatever broke, the job must not stay running
        state, result = "failed", {"accepted": False, "reasons": [f"the trainer could not run retraining: {error}"]}
    summary = f"new version v{result['version']}" if state == "accepted" else "; ".join(result.get("reasons", []))
    outcome = {"state": state, "result": result, "progress": f"{state}: {summary}"[:PROGRESS_CHARS]}
    finished = server_api.post_retrain_job(args.url, f"/{job_id}/finish", outcome)["job"]
    print(f"retraining job {job_id}: {state}", flush=True)
    return finished


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    server_api.admin_token()  # fails at once, not at the first job, when ADMIN_TOKEN is missing
    if args.once:
        run_one(args)
        return
    print(f"trainer: waiting for retraining jobs at {args.url}", flush=True)
    while True:
        try:
            if run_one(args) is not None:
                continue
        except SystemExit as error:  # the server is down or restarting: try again later
            print(f"trainer: {error}", file=sys.stderr, flush=True)
        time.sleep(args.poll)


if __name__ == "__main__":
    main(sys.argv[1:])
