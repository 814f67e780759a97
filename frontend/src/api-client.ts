// Typed access to the HTTP API (README.md, "API"), its answers typed by the server's handlers
// (api-types.ts). Every failure becomes an ApiError with a message fit to show a person, so no
// caller has to guess what went wrong.
import type { FeedbackAnswer, HistoryPage, NumberAnswer, NumberStrokes, Prediction, Stats } from './api-types';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

function isErrorBody(body: unknown): body is { error: { code: string; message: string } } {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof err?.code === 'string' && typeof err?.message === 'string';
}

export function createApiClient(fetchImpl: FetchLike = (i, init) => fetch(i, init), base = '') {
  /** Every body is JSON. */
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(base + path, {
        ...init,
        headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) },
      });
    } catch {
      throw new ApiError('network', 'Could not reach the server. Check your connection and try again.', 0);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (e.g. a proxy's HTML error page): reported below with the status.
    }
    if (!res.ok) {
      if (isErrorBody(body)) throw new ApiError(body.error.code, body.error.message, res.status);
      throw new ApiError(`http_${res.status}`, `The server answered ${res.status} ${res.statusText}`.trim() + '.', res.status);
    }
    if (body === null) throw new ApiError('bad_response', 'The server sent an empty or unreadable answer.', res.status);
    return body as T;
  }

  const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

  return {
    predict: (pixels: ArrayLike<number>) =>
      call<Prediction>('/api/predict', post({ pixels: Array.from(pixels), source: 'canvas' })),
    /** A row of digits, as its strokes: the server keeps apart digits whose ink touches. */
    readNumber: (drawing: NumberStrokes) => call<NumberAnswer>('/api/numbers', post({ ...drawing, source: 'canvas' })),
    sendFeedback: (id: string, trueLabel: number) =>
      call<FeedbackAnswer>(`/api/predictions/${encodeURIComponent(id)}/feedback`, post({ trueLabel })),
    history: (limit = 10) => call<HistoryPage>(`/api/predictions?limit=${limit}`),
    stats: () => call<Stats>('/api/stats'),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A readable message for anything thrown, ApiError or not. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}
