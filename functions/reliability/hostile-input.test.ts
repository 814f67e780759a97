// Property-based tests of every endpoint through app.request() on the real model and a real embedded
// database: random JSON, random and truncated bytes as images, huge declared sizes, wrong content types,
// oversized bodies, odd unicode in ids, query strings and labels, deep nesting. Whatever arrives, the
// answer is never a 5xx, every 4xx is {"error": {"code", "message"}} with the security headers, and a
// refused request writes nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { preparePgliteDataDir } from '../node/prepare-pglite.ts';
import { createPgliteStore } from '../store/pglite-store.ts';
import type { Store } from '../store/store.ts';
import { drawSeven, jpegBytes, pngBytes, pngClaimingSize, sevenPixels } from '../testing/fixtures.ts';
import { loadTestModels, readMigrations, TEST_ADMIN_TOKEN } from '../testing/test-deps.ts';

// Fixed seed in CI so a failure reproduces; fast-check prints the seed and path either way.
const RUNS = { numRuns: 60, seed: process.env.CI ? 20261123 : undefined, endOnFailure: true };

let store: Store;
let dataDir: string;
let app: ReturnType<typeof createApp>;
let knownId: string;

const total = async () => (await store.stats()).total;
const labelOf = async (id: string) => (await store.listPredictions(100, null)).find((r) => r.id === id)?.trueLabel;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'digit-hostile-'));
  await preparePgliteDataDir(dataDir);
  store = await createPgliteStore({ dataDir, migrations: await readMigrations() });
  await store.init();
  app = createApp({ store, models: await loadTestModels(), adminToken: TEST_ADMIN_TOKEN, log: () => {} });
  const res = await app.request('/api/predict', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pixels: sevenPixels() }),
  });
  knownId = ((await res.json()) as { id: string }).id;
});

afterAll(async () => {
  await store?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The invariants every answer keeps. Returns the status. */
async function expectWellFormed(res: Response): Promise<number> {
  expect(res.status, await res.clone().text()).toBeLessThan(500);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  if (res.status >= 400) {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect((body.error!.message as string).length).toBeGreaterThan(0);
  } else {
    await res.arrayBuffer();
  }
  return res.status;
}

/** Sends a request that must be refused (or, for predict, accepted and stored exactly once). */
async function send(pathname: string, init: RequestInit, acceptedAdds = 0): Promise<number> {
  const before = await total();
  const status = await expectWellFormed(await app.request(pathname, init));
  expect(await total()).toBe(before + (status === 200 ? acceptedAdds : 0));
  return status;
}

const post = (type: string | null, body: BodyInit): RequestInit => ({
  method: 'POST',
  headers: type === null ? {} : { 'content-type': type },
  body,
});

// Text that mixes plain ASCII, astral-plane characters, lone surrogates, controls and RTL marks.
const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '%', '%00', '%ZZ', '../..', "' OR 1=1 --", '\uFEFF', 'ǅ'.repeat(30)),
);
/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes invalid UTF-8 (%ED%A0%80) instead of a throw. */
const encodePathPart = (text: string) =>
  encodeURIComponent(text.replace(/\p{Surrogate}/gu, '\uffff')).replaceAll('%EF%BF%BF', '%ED%A0%80');
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'image/png',
    'image/jpeg',
    'image/gif',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'text/plain',
    'application/x-www-form-urlencoded',
    '*/*',
    '',
  ),
  fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(...'abcxyz/;=+-. '.split('')) }),
);
const deepNesting = fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
const randomJson = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.record({ pixels: fc.array(fc.oneof(fc.double(), fc.constant(null), fc.string()), { maxLength: 900 }) }).map((v) => JSON.stringify(v)),
  fc.record({ pixels: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 784, maxLength: 784 }), source: oddText }).map(
    (v) => JSON.stringify(v),
  ),
  deepNesting,
  fc.integer({ min: 1, max: 100_000 }).map((n) => `{"pixels":${'['.repeat(n)}`),
  fc.string({ maxLength: 200 }),
);
const PNG = pngBytes(drawSeven(56));
const JPEG = jpegBytes(drawSeven(56, [20, 20, 20], true));
const imageBytes = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  fc.integer({ min: 0, max: PNG.length - 1 }).map((n) => PNG.slice(0, n)),
  fc.integer({ min: 0, max: JPEG.length - 1 }).map((n) => JPEG.slice(0, n)),
  // A valid picture with some bytes flipped.
  fc.tuple(fc.constantFrom(PNG, JPEG), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 })).map(([img, flips]) => {
    const copy = img.slice();
    for (const [at, value] of flips) copy[at % copy.length] = value;
    return copy;
  }),
  fc.tuple(fc.integer({ min: 0, max: 0x7fffffff }), fc.integer({ min: 0, max: 0x7fffffff })).map(([w, h]) => pngClaimingSize(w, h)),
);

describe('hostile input: no 5xx, clear 4xx, nothing stored when refused', () => {
  it('POST /api/predict with random JSON, deep nesting and wrong content types', async () => {
    await fc.assert(
      fc.asyncProperty(contentType, randomJson, async (type, body) => {
        await send('/api/predict', post(type, body), 1);
      }),
      RUNS,
    );
  });

  it('POST /api/predict with random, truncated and corrupted images and huge declared sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('image/png', 'image/jpeg', 'multipart'), imageBytes, async (type, bytes) => {
        if (type !== 'multipart') return void (await send('/api/predict', post(type, bytes), 1));
        const form = new FormData();
        form.append('image', new Blob([bytes]), 'x.png');
        await send('/api/predict', { method: 'POST', body: form }, 1);
      }),
      RUNS,
    );
  });

  it('POST /api/predict with malformed multipart bodies', async () => {
    await fc.assert(
      fc.asyncProperty(oddText.filter((b) => /^[\x21-\x7e]{1,70}$/.test(b)).map((b) => b.replace(/[";]/g, '')), fc.uint8Array({ maxLength: 2000 }), async (boundary, bytes) => {
        await send('/api/predict', post(`multipart/form-data; boundary=${boundary || 'x'}`, bytes), 1);
      }),
      { ...RUNS, numRuns: 30 },
    );
  });

  it('refuses oversized bodies with 413 and stores nothing', async () => {
    const cases: [string, number][] = [
      ['application/json', 256 * 1024 + 1],
      ['application/json', 3 * 1024 * 1024],
      ['image/png', 10 * 1024 * 1024 + 1],
      ['multipart/form-data; boundary=x', 12 * 1024 * 1024],
    ];
    for (const [type, size] of cases) {
      expect(await send('/api/predict', post(type, new Uint8Array(size).fill(0x5b)))).toBe(413);
    }
    const feedbackBody = `{"trueLabel": 3, "pad": "${'x'.repeat(300_000)}"}`;
    expect(await send(`/api/predictions/${knownId}/feedback`, post('application/json', feedbackBody))).toBe(413);
    expect(await labelOf(knownId)).toBeNull();
  });

  it('POST feedback with odd ids, random labels and bodies changes nothing it refuses', async () => {
    const label = fc.oneof(fc.jsonValue({ maxDepth: 3 }), oddText, fc.double(), fc.integer({ min: -20, max: 20 }));
    const id = fc.oneof(oddText, fc.constant(knownId), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/));
    await fc.assert(
      fc.asyncProperty(id, contentType, fc.oneof(label.map((l) => JSON.stringify({ trueLabel: l })), randomJson), async (rawId, type, body) => {
        const before = await labelOf(knownId);
        const status = await send(`/api/predictions/${encodePathPart(rawId)}/feedback`, post(type, body));
        const after = await labelOf(knownId);
        if (status === 200) {
          expect(rawId).toBe(knownId);
          expect(after).toBe(JSON.parse(body).trueLabel);
        } else {
          expect(after).toBe(before);
        }
      }),
      RUNS,
    );
  });

  it('GET /api/predictions with random query strings', async () => {
    const value = fc.oneof(oddText, fc.integer().map(String), fc.base64String({ maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9_-]{0,120}$/));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('limit', 'cursor', 'x', 'limit[]', ''), value, { maxKeys: 3 }), async (query) => {
        // Values starting with % go raw, so broken escapes (%ZZ, %00) arrive as sent.
        const search = Object.entries(query).map(([k, v]) => `${encodePathPart(k)}=${v.startsWith('%') ? v : encodePathPart(v)}`);
        const status = await send(`/api/predictions?${search.join('&')}`, { method: 'GET' });
        expect([200, 400]).toContain(status);
      }),
      RUNS,
    );
  });

  it('any method on any path, with random Authorization headers on the admin endpoints', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');
    const pathname = fc.oneof(
      fc.constantFrom(
        '/api/predict',
        '/api/predictions',
        '/api/stats',
        '/api/health',
        '/api/ready',
        '/api/admin/feedback',
        '/api/admin/models/reload',
        '/api/admin/',
        '/api//predict',
        '/api/predict/',
      ),
      oddText.map((t) => `/api/${encodePathPart(t)}`),
    );
    const auth = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 60, unit: fc.constantFrom(...'Bearer abcXYZ019._~+/-=:"\t'.split('')) }),
      fc.constant(`Bearer ${TEST_ADMIN_TOKEN}x`),
      fc.constant(`bearer  ${TEST_ADMIN_TOKEN.slice(1)}`),
    );
    await fc.assert(
      fc.asyncProperty(method, pathname, auth, async (m, p, a) => {
        const headers: Record<string, string> = a === undefined ? {} : { authorization: a };
        const before = await total();
        const res = await app.request(p, { method: m, headers });
        // HEAD answers carry no body to check.
        if (m === 'HEAD') expect(res.status).toBeLessThan(500);
        else {
          const status = await expectWellFormed(res);
          // No generated header carries the token.
          if (p.startsWith('/api/admin')) expect(status).not.toBe(200);
        }
        expect(await total()).toBe(before);
      }),
      RUNS,
    );
  });

  it('still predicts after all of it', async () => {
    expect(await send('/api/predict', post('application/json', JSON.stringify({ pixels: sevenPixels() })), 1)).toBe(200);
  });
});
