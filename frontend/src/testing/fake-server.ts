// An in-memory stand-in for the API at the HTTP level, for the page's tests. It answers in the
// server's own shapes (its row serialiser and its stats summary), so the tests run the real API
// client and the page reads exactly what the server would send.
import { toPredictionJson } from '../../../functions/http/prediction-json.ts';
import { summarizeStats } from '../../../functions/stats/summarize-stats.ts';
import type { PredictionRow } from '../../../functions/store/store.ts';
import type { Prediction } from '../api-types';

export type Endpoint = 'predict' | 'feedback' | 'history' | 'stats';
export type Failure = { status: number; code: string; message: string };

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function endpointOf(path: string, method: string): Endpoint | null {
  if (method === 'POST' && path === '/api/predict') return 'predict';
  if (method === 'POST' && /^\/api\/predictions\/[^/]+\/feedback$/.test(path)) return 'feedback';
  if (method === 'GET' && path === '/api/predictions') return 'history';
  if (method === 'GET' && path === '/api/stats') return 'stats';
  return null;
}

/** Every prediction reads `answer` at 91%; `fail` turns an endpoint's answers into that error. */
export function createFakeServer(answer = 7) {
  const rows: PredictionRow[] = []; // newest first
  const fail: Partial<Record<Endpoint, Failure>> = {};
  /** An endpoint waits for this before answering, to catch the page in the middle of a request. */
  const hold: Partial<Record<Endpoint, Promise<unknown>>> = {};
  const requests: { endpoint: Endpoint; path: string; body: unknown }[] = [];

  function respond(endpoint: Endpoint, path: string, body: unknown): Response {
    if (endpoint === 'predict') {
      const probabilities = Array.from({ length: 10 }, (_, d) => (d === answer ? 0.91 : 0.01));
      const id = `p${rows.length + 1}`;
      rows.unshift({
        id,
        createdAt: new Date().toISOString(),
        predictedDigit: answer,
        confidence: 0.91,
        probabilities,
        trueLabel: null,
        labeledAt: null,
        modelVersion: '1',
        source: 'canvas',
      });
      const prediction: Prediction = { id, digit: answer, confidence: 0.91, probabilities, isDigit: true, model: { name: 'cnn', version: '1' } };
      return json(200, prediction);
    }
    if (endpoint === 'feedback') {
      const row = rows.find((r) => path === `/api/predictions/${r.id}/feedback`);
      if (!row) return json(404, { error: { code: 'not-found', message: 'No such prediction.' } });
      row.trueLabel = (body as { trueLabel: number }).trueLabel;
      row.labeledAt = new Date().toISOString();
      return json(200, toPredictionJson(row));
    }
    if (endpoint === 'history') return json(200, { items: rows.map(toPredictionJson), nextCursor: null });
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
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
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
