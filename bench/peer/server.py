"""The digit-recognizer server most demo authors write: FastAPI, PyTorch in-process, psycopg2.

It serves the project's current model from its PyTorch weights (model/*.pt, the same network through
training/model_def.py) and answers the same JSON body as POST /api/predict with the same fields.
Every prediction is inserted into the `predictions` table and committed before the answer goes out.
The bench (bench/peer-compare.ts) measures it beside the Node server; it is no part of the app.

Run from the repository root with Debian's python3-fastapi, python3-uvicorn, python3-psycopg2 and
python3-torch, as FastAPI's first example runs it (uvicorn's single worker; `--workers N` for more):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \
      /usr/bin/python3 -m uvicorn --app-dir bench/peer server:app --port 8000
"""
import json
import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path
from threading import BoundedSemaphore

import psycopg2
import psycopg2.pool
import torch
from fastapi import FastAPI
from pydantic import BaseModel, confloat, conlist

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from training.export import load_weights  # noqa: E402  (needs the repository on the path)

MODEL_DIR = REPO_ROOT / "model"
DIGITS = 10
POOL_SIZE = 10

# The served version, its weights, and the calibration its card records (what the ONNX graph bakes in).
current = json.loads((MODEL_DIR / "current.json").read_text())
card = json.loads((MODEL_DIR / current["card"]).read_text())
net = load_weights(MODEL_DIR, current["version"])
temperature = card["calibration"]["temperature"]
not_digit_threshold = card["calibration"].get("notDigit", {}).get("threshold", 0.5)
model_info = {"name": current["name"], "version": current["version"]}

# psycopg2's pool for threaded programs (FastAPI runs a plain `def` endpoint in its thread pool). The
# pool raises when every connection is taken, so requests beyond it wait for one here (in the endpoint,
# not in a dependency: waiting dependencies could hold every thread the endpoints need).
pool = psycopg2.pool.ThreadedConnectionPool(1, POOL_SIZE, os.environ["DATABASE_URL"])
free_connections = BoundedSemaphore(POOL_SIZE)

# The table as the app makes it (schema.sql), unless it is there already; workers starting together
# take turns.
conn = pool.getconn()
with conn, conn.cursor() as cur:
    cur.execute("SELECT pg_advisory_lock(8000)")
    cur.execute("SELECT to_regclass('predictions')")
    if cur.fetchone()[0] is None:
        cur.execute((REPO_ROOT / "schema.sql").read_text())
    cur.execute("SELECT pg_advisory_unlock(8000)")
pool.putconn(conn)

app = FastAPI()


class PredictRequest(BaseModel):
    pixels: conlist(confloat(ge=0, le=1), min_items=784, max_items=784)
    source: str = "api"


@contextmanager
def connection():
    with free_connections:
        conn = pool.getconn()
        try:
            yield conn
        finally:
            pool.putconn(conn)


@app.post("/api/predict")
def predict(body: PredictRequest):
    with torch.no_grad():
        logits = net(torch.tensor(body.pixels).reshape(1, 1, 28, 28))[0] / temperature
    probabilities = torch.softmax(logits[:DIGITS], dim=0)
    digit = int(probabilities.argmax())
    is_digit = len(logits) == DIGITS or float(torch.softmax(logits, dim=0)[DIGITS]) < not_digit_threshold
    prediction_id = secrets.token_urlsafe(16)
    # `with conn` commits on leaving (or rolls back on an error): the row is committed before the answer.
    with connection() as conn, conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO predictions (id, predicted_digit, confidence, probabilities, model_version, source, input)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (prediction_id, digit, float(probabilities[digit]), probabilities.tolist(), model_info["version"],
             body.source, bytes(round(p * 255) for p in body.pixels)),
        )
    return {
        "id": prediction_id,
        "digit": digit,
        "confidence": float(probabilities[digit]),
        "probabilities": probabilities.tolist(),
        "isDigit": is_digit,
        "model": model_info,
    }
