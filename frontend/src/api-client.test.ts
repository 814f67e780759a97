import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, errorMessage } from './api-client';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createApiClient', () => {
  it('posts 784 plain numbers with the canvas source and returns the prediction', async () => {
    const prediction = { id: 'p1', digit: 7, confidence: 0.9, probabilities: Array(10).fill(0.1), isDigit: true, model: { name: 'cnn', version: '1' } };
    const fetchImpl = vi.fn(async () => json(200, prediction));
    const api = createApiClient(fetchImpl);
    const pixels = new Float32Array(784).fill(0.5);
    await expect(api.predict(pixels)).resolves.toEqual(prediction);
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/predict');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
    const body = JSON.parse(init.body as string);
    expect(body.source).toBe('canvas');
    expect(body.pixels).toHaveLength(784);
    expect(Array.isArray(body.pixels)).toBe(true);
    expect(body.pixels[0]).toBe(0.5);
  });

  it('posts a number as its strokes with the canvas source and returns its digits', async () => {
    const answer = { text: '42', digits: [], model: { name: 'cnn', version: '1' } };
    const fetchImpl = vi.fn(async () => json(200, answer));
    const drawing = { strokes: [{ points: [[10, 20], [30, 40.5]] as [number, number][], pen: 12 }], width: 560, height: 280 };
    await expect(createApiClient(fetchImpl).readNumber(drawing)).resolves.toEqual(answer);
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/numbers');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(JSON.parse(init.body as string)).toEqual({ ...drawing, source: 'canvas' });
  });

  it('sends feedback to the prediction and reads history and stats', async () => {
    const fetchImpl = vi.fn(async (_url: string) => json(200, { items: [], nextCursor: null }));
    const api = createApiClient(fetchImpl, 'http://host');
    await api.sendFeedback('a/b', 3);
    expect(fetchImpl.mock.calls[0][0]).toBe('http://host/api/predictions/a%2Fb/feedback');
    expect(JSON.parse((fetchImpl.mock.calls[0] as unknown as [string, RequestInit])[1].body as string)).toEqual({ trueLabel: 3 });
    await api.history(5);
    expect(fetchImpl.mock.calls[1][0]).toBe('http://host/api/predictions?limit=5');
    await api.stats();
    expect(fetchImpl.mock.calls[2][0]).toBe('http://host/api/stats');
  });

  it("turns the API's error body into an ApiError with its code and message", async () => {
    const api = createApiClient(async () => json(503, { error: { code: 'db_unavailable', message: 'The database is not answering.' } }));
    const err = await api.history().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'db_unavailable', status: 503, message: 'The database is not answering.' });
  });

  it('reports non-JSON failures, empty answers and network failures readably', async () => {
    const html = createApiClient(async () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(html.stats()).rejects.toMatchObject({ code: 'http_502', message: 'The server answered 502 Bad Gateway.' });
    const empty = createApiClient(async () => new Response('', { status: 200 }));
    await expect(empty.stats()).rejects.toMatchObject({ code: 'bad_response' });
    const offline = createApiClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = await offline.predict([0]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'network', status: 0 });
    expect(errorMessage(err)).toMatch(/could not reach the server/i);
  });
});

describe('errorMessage', () => {
  it('falls back to a generic message for things that are not errors', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('x')).toBe('Something went wrong.');
  });
});
