"""The two admin calls retraining makes to a running server (token from ADMIN_TOKEN)."""
import json
import os
import urllib.error
import urllib.request

from .progress import progress


def admin_token() -> str:
    token = os.environ.get("ADMIN_TOKEN", "")
    if not token:
        raise SystemExit("ADMIN_TOKEN is not set: the server's admin endpoints need it")
    return token


def _request(url: str, method: str = "GET") -> urllib.request.Request:
    return urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {admin_token()}"})


def _explain(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read())["error"]
        return f"{error.code} {body['code']}: {body['message']}"
    except Exception:  # not the API's error shape
        return f"{error.code} {error.reason}"


def fetch_feedback(base_url: str) -> list[dict]:
    """Every labeled prediction from GET /api/admin/feedback (NDJSON), as dicts."""
    url = base_url.rstrip("/") + "/api/admin/feedback"
    rows = []
    try:
        with urllib.request.urlopen(_request(url), timeout=60) as response:
            for line in progress(response, desc="feedback", unit=" rows"):
                if line.strip():
                    rows.append(json.loads(line))
    except urllib.error.HTTPError as error:
        raise SystemExit(f"fetching feedback from {url} failed: {_explain(error)}") from None
    except urllib.error.URLError as error:
        raise SystemExit(f"cannot reach {url}: {error.reason}") from None
    return rows


def request_reload(base_url: str) -> dict:
    """POST /api/admin/models/reload; returns the server's {"name", "version"}."""
    url = base_url.rstrip("/") + "/api/admin/models/reload"
    try:
        with urllib.request.urlopen(_request(url, "POST"), timeout=60) as response:
            return json.load(response)["model"]
    except urllib.error.HTTPError as error:
        raise SystemExit(f"asking {url} to reload failed: {_explain(error)}") from None
    except urllib.error.URLError as error:
        raise SystemExit(f"cannot reach {url}: {error.reason}") from None
