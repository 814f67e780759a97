// An in-memory stand-in for the API at the HTTP level, for the page's tests. It answers in the
// server's own shapes (its row serialiser and its stats summary) and cuts a number apart with the
// server's own segmentation, so the tests run the real API client and the page reads exactly what
// the server would send.
import { segmentStrokes } from '../../../model/segment-number.ts';
import { toHistoryItemJson, toPredictionJson } from '../../../functions/http/prediction-json.ts';
import { summarizeStats } from '../../../functions/stats/summarize-stats.ts';
import type { PredictionRow } from '../../../functions/store/store.ts';
import type { NumberAnswer, NumberStrokes, Prediction } from '../api-types';

export type Endpoint = 'predict' | 'numbers' | 'feedback' | 'history' | 'stats';
export type Failure = { status: number; code: string; message: string };

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function endpointOf(path: string, method: string): Endpoint | null {
  if (method === 'POST' && path === '/api/predict') return 'predict';
  if (method === 'POST' && path === '/api/numbers') return 'numbers';
  if (method === 'POST' && /^\/api\/predictions\/[^/]+\/feedback$/.test(path)) return 'feedback';
  if (method === 'GET' && path === '/api/predictions') return 'history';
  if (method === 'GET' && path === '/api/stats') return 'stats';
  return null;
}

/**
 * Every prediction reads `answer` at 91%; a number's digits read as `digits` (cycling), the first at
 * 91% and each next one 10 points less sure. `fail` turns an endpoint's answers into that error.
 */
export function createFakeServer(answer = 7, digits = String(answer)) {
  const rows: PredictionRow[] = []; // newest first
  const model = { name: 'cnn', version: '1' };
  const fail: Partial<Record<Endpoint, Failure>> = {};
  /** An endpoint waits for this before answering, to catch the page in the middle of a request. */
  const hold: Partial<Record<Endpoint, Promise<unknown>>> = {};
  const requests: { endpoint: Endpoint; path: string; body: unknown }[] = [];

  /** Stores one prediction and returns its answer. */
  function read(digit: number, confidence: number, source: PredictionRow['source']): Omit<Prediction, 'model'> {
    const rest = (1 - confidence) / 9;
    const probabilities = Array.from({ length: 10 }, (_, d) => (d === digit ? confidence : rest));
    const id = `p${rows.length + 1}`;
    rows.unshift({
      id,
      createdAt: new Date().toISOString(),
      predictedDigit: digit,
      confidence,
      probabilities,
      trueLabel: null,
      labeledAt: null,
      modelVersion: model.version,
      source,
    });
    return { id, digit, confidence, probabilities, isDigit: true };
  }

  function respond(endpoint: Endpoint, path: string, body: unknown): Response {
    if (endpoint === 'predict') {
      const prediction: Prediction = { ...read(answer, 0.91, 'canvas'), model };
      return json(200, prediction);
    }
    if (endpoint === 'numbers') {
      const { strokes, width, height } = body as NumberStrokes;
      const cut = segmentStrokes(strokes, width, height);
      if (!cut.ok) return json(422, { error: { code: 'empty-drawing', message: cut.message } });
      const found = cut.digits.map(({ box }, i) => ({ ...read(Number(digits[i % digits.length]), 0.91 - 0.1 * i, 'upload'), box }));
      const reply: NumberAnswer = { text: found.map((d) => d.digit).join(''), digits: found, model };
      return json(200, reply);
    }
    if (endpoint === 'feedback') {
      const row = rows.find((r) => path === `/api/predictions/${r.id}/feedback`);
      if (!row) return json(404, { error: { code: 'not-found', message: 'No such prediction.' } });
      row.trueLabel = (body as { trueLabel: number }).trueLabel;
      row.labeledAt = new Date().toISOString();
      return json(200, toPredictionJson(row));
    }
    if (endpoint === 'history') return json(200, { items: rows.map(toHistoryItemJson), nextCursor: null });
    const labeled = rows.filter((r) => r.trueLabel !== null);
    return json(
      200,
      summarizeStats({
        total: rows.length,
        labeled: labeled.length,
        correct: labeled.filter((r) => r.trueLabel === r.predictedDigit).length,
        confusion: labeled.map((r) => ({ trueLabel: r.trueLabel!, predictedDigit: r.predictedDigit, count: 1 })),
        byModel: [],
      }),
    );
  }

  const fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input, 'http://page.test');
    const endpoint = endpointOf(url.pathname, init?.method ?? 'GET');
    if (!endpoint) return json(404, { error: { code: 'not-found', message: `No route for ${url.pathname}` } });
    // JSON as parsed (the tests check what the page sent).
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
    requests.push({ endpoint, path: url.pathname, body });
    await hold[endpoint];
    const failure = fail[endpoint];
    if (failure) return json(failure.status, { error: { code: failure.code, message: failure.message } });
    return respond(endpoint, url.pathname, body);
  };

  /** The requests sent to one endpoint, oldest first. */
  const sentTo = (endpoint: Endpoint) => requests.filter((r) => r.endpoint === endpoint).map(({ path, body }) => ({ path, body }));

  return { fetch, rows, fail, hold, sentTo };
}
