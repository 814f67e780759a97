"""The admin calls retraining makes to a running server (token from ADMIN_TOKEN): the feedback export,
and the model versions the server keeps in its database (list, publish, make current, reload)."""
import base64
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


def _request(url: str, method: str = "GET", body: dict | None = None) -> urllib.request.Request:
    headers = {"Authorization": f"Bearer {admin_token()}"}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    return urllib.request.Request(url, method=method, headers=headers, data=data)


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


def _call(base_url: str, path: str, what: str, method: str = "GET", body: dict | None = None) -> dict:
    url = base_url.rstrip("/") + path
    try:
        with urllib.request.urlopen(_request(url, method, body), timeout=120) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{what} ({method} {url}) failed: {_explain(error)}") from None
    except urllib.error.URLError as error:
        raise SystemExit(f"cannot reach {url}: {error.reason}") from None


def request_reload(base_url: str) -> dict:
    """POST /api/admin/models/reload (the server checks its database now); returns its {"name", "version"}."""
    return _call(base_url, "/api/admin/models/reload", "asking the server to reload", "POST")["model"]


def list_models(base_url: str) -> dict:
    """GET /api/admin/models: {"current": {"name", "version"} or None, "versions": [{..., "card"}]}."""
    return _call(base_url, "/api/admin/models", "listing the model versions")


def publish_model(base_url: str, onnx: bytes, card: dict) -> dict:
    """POST /api/admin/models: the server checks the version, stores it and makes it current for every replica."""
    body = {"card": card, "onnx": base64.b64encode(onnx).decode("ascii")}
    return _call(base_url, "/api/admin/models", f"publishing v{card.get('version')}", "POST", body)["model"]


def make_current(base_url: str, version: str) -> dict:
    """POST /api/admin/models/{version}/current: every replica moves to that published version."""
    return _call(base_url, f"/api/admin/models/{version}/current", f"making v{version} current", "POST")["model"]


def post_retrain_job(base_url: str, path: str = "", body: dict | None = None) -> dict:
    """POST to /api/admin/retrain-jobs{path}: claiming the next job, its progress, its verdict."""
    return _call(base_url, f"/api/admin/retrain-jobs{path}", "the retraining job", "POST", body)
