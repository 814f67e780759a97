// The HTTP API (README.md, "API") as one test suite, run against every way the API is served:
// app.request() on PGlite and on PostgreSQL, the real Node server, and the Worker in workerd.
// Each target hands over `request(path, init)`; the suite knows nothing else about it.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  blankImage,
  corruptPng,
  drawNumber,
  drawSeven,
  drawStar,
  GIF_BYTES,
  jpegBytes,
  numberStrokes,
  pngBytes,
  pngClaimingSize,
  sevenPixels,
  singlePixel,
  strayDot,
  truncatedPng,
  type Bytes,
} from './testing/fixtures.ts';

export interface ContractTarget {
  request(path: string, init?: RequestInit): Promise<Response>;
  /** The ADMIN_TOKEN the target was started with. */
  adminToken: string;
  close(): Promise<void>;
}

const ID = /^[A-Za-z0-9_-]{22}$/;

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const raw = (type: string | null, body: BodyInit): RequestInit => ({
  method: 'POST',
  headers: type ? { 'content-type': type } : {},
  body,
});

function multipart(field: string, bytes: Bytes, type = 'image/png'): RequestInit {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), 'digit.png');
  return { method: 'POST', body: form };
}

export function defineContractSuite(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`HTTP contract: ${name}`, () => {
    let target: ContractTarget;
    const request = (path: string, init?: RequestInit) => target.request(path, init);
    const body = async (res: Response) => res.json() as Promise<any>;
    const total = async () => (await body(await request('/api/stats'))).total as number;
    const predict = async (init: RequestInit = json({ pixels: sevenPixels(), source: 'canvas' })) => {
      const res = await request('/api/predict', init);
      expect(res.status, await res.clone().text()).toBe(200);
      return body(res);
    };
    const feedback = (id: string, payload: unknown, headers?: Record<string, string>) =>
      request(`/api/predictions/${id}/feedback`, json(payload, headers));

    /** A 4xx with an error code, and no row written. */
    async function expectRejected(res: Promise<Response>, status: number, code?: string) {
      const before = await total();
      const r = await res;
      expect(r.status).toBe(status);
      const b = await body(r);
      expect(b.error).toEqual({ code: expect.any(String), message: expect.any(String) });
      expect(b.error.message.length).toBeGreaterThan(0);
      if (code) expect(b.error.code).toBe(code);
      expect(await total()).toBe(before);
      return b;
    }

    beforeAll(async () => {
      target = await setup();
    });
    afterAll(async () => {
      await target?.close();
    });

    describe('health', () => {
      it('GET /api/health says ok', async () => {
        const res = await request('/api/health');
        expect(res.status).toBe(200);
        expect(await body(res)).toEqual({ status: 'ok' });
      });

      it('GET /api/ready is 200 with the model loaded and the database answering', async () => {
        const res = await request('/api/ready');
        expect(res.status).toBe(200);
        expect((await body(res)).model).toEqual({ name: expect.any(String), version: expect.any(String) });
      });

      it('unknown routes get a JSON 404', async () => {
        await expectRejected(request('/api/nope'), 404, 'not-found');
      });
    });

    describe('POST /api/predict', () => {
      it('classifies JSON pixels, answers the contract shape and stores the prediction', async () => {
        const before = await total();
        const p = await predict();
        expect(p.id).toMatch(ID);
        expect(Number.isInteger(p.digit) && p.digit >= 0 && p.digit <= 9).toBe(true);
        expect(p.probabilities).toHaveLength(10);
        expect(p.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
        expect(p.confidence).toBe(Math.max(...p.probabilities));
        expect(p.probabilities.indexOf(p.confidence)).toBe(p.digit);
        expect(p.isDigit).toBe(true);
        expect(p.model).toEqual({ name: expect.any(String), version: expect.any(String) });
        expect(await total()).toBe(before + 1);

        const { items } = await body(await request('/api/predictions?limit=1'));
        // The history shows the prediction, but not its id: only whoever made it may label it.
        expect(items[0]).not.toHaveProperty('id');
        expect(items[0]).toMatchObject({
          digit: p.digit,
          trueLabel: null,
          modelVersion: p.model.version,
          source: 'canvas',
        });
        expect(items[0].confidence).toBeCloseTo(p.confidence, 6);
        expect(Date.parse(items[0].createdAt)).not.toBeNaN();
      });

      it('says when a drawing is no digit at all, still with the nearest digit, and logs it like any other', async () => {
        const before = await total();
        const p = await predict(raw('image/png', pngBytes(drawStar())));
        expect(p.isDigit).toBe(false);
        expect(Number.isInteger(p.digit) && p.digit >= 0 && p.digit <= 9).toBe(true);
        expect(p.probabilities).toHaveLength(10);
        expect(p.id).toMatch(ID);
        expect(await total()).toBe(before + 1);
      });

      it('records JSON without a source as "api"', async () => {
        const p = await predict(json({ pixels: sevenPixels() }));
        const { items } = await body(await request('/api/predictions?limit=1'));
        expect(items[0]).toMatchObject({ digit: p.digit, source: 'api' });
      });

      it('gives the same answer for a PNG body, a JPEG body and a multipart upload of the drawing', async () => {
        const fromPixels = await predict(json({ pixels: sevenPixels() }));
        const png = pngBytes(drawSeven());
        const fromPng = await predict(raw('image/png', png));
        const fromMultipart = await predict(multipart('image', png));
        const fromJpeg = await predict(raw('image/jpeg', jpegBytes(drawSeven(280, [20, 20, 20], true))));
        // The trained model reads the drawing right, whichever way it arrives.
        expect(fromPixels.digit).toBe(7);
        for (const p of [fromPng, fromMultipart, fromJpeg]) {
          expect(p.digit).toBe(fromPixels.digit);
          expect(p.id).not.toBe(fromPixels.id);
        }
        expect(fromPng.probabilities).toEqual(fromPixels.probabilities);
        const { items } = await body(await request('/api/predictions?limit=3'));
        expect(items.map((i: { source: string }) => i.source)).toEqual(['upload', 'upload', 'upload']);
      });

      it('accepts a charset parameter on the JSON content type', async () => {
        await predict(json({ pixels: sevenPixels() }, { 'content-type': 'application/json; charset=utf-8' }));
      });

      const pixelsWith = (value: unknown) => {
        const pixels: unknown[] = sevenPixels();
        pixels[100] = value;
        return { pixels };
      };

      it.each([
        ['malformed JSON', () => json('{"pixels": [0, 1,'), 400, 'invalid-json'],
        ['an empty body', () => json(''), 400, 'invalid-json'],
        ['a JSON array', () => json([1, 2, 3]), 400, 'invalid-pixels'],
        ['no pixels', () => json({ source: 'canvas' }), 400, 'invalid-pixels'],
        ['783 pixels', () => json({ pixels: sevenPixels().slice(1) }), 400, 'invalid-pixels'],
        ['785 pixels', () => json({ pixels: [...sevenPixels(), 0] }), 400, 'invalid-pixels'],
        ['a string pixel', () => json(pixelsWith('0.5')), 400, 'invalid-pixels'],
        ['a "NaN" pixel', () => json(pixelsWith('NaN')), 400, 'invalid-pixels'],
        ['a null pixel', () => json(pixelsWith(null)), 400, 'invalid-pixels'],
        ['a pixel of 1.5', () => json(pixelsWith(1.5)), 400, 'invalid-pixels'],
        ['a pixel of -0.1', () => json(pixelsWith(-0.1)), 400, 'invalid-pixels'],
        ['a pixel of 1e999 (Infinity)', () => json(JSON.stringify(pixelsWith(0)).replace('0,', '1e999,')), 400, 'invalid-pixels'],
        ['an unknown source', () => json({ pixels: sevenPixels(), source: 'upload' }), 400, 'invalid-pixels'],
        ['an all-black drawing', () => json({ pixels: new Array(784).fill(0) }), 422, 'empty-drawing'],
        ['a blank canvas PNG', () => raw('image/png', pngBytes(blankImage())), 422, 'empty-drawing'],
        // One near-empty rule for every body form: a stray mark is refused, never guessed.
        ['a single lit pixel as JSON', () => json({ pixels: singlePixel() }), 422, 'empty-drawing'],
        ['a stray dot as PNG', () => raw('image/png', pngBytes(strayDot())), 422, 'empty-drawing'],
        ['a stray dot as JPEG', () => raw('image/jpeg', jpegBytes(strayDot())), 422, 'empty-drawing'],
        ['a stray dot as multipart', () => multipart('image', pngBytes(strayDot())), 422, 'empty-drawing'],
        ['a JSON body over the limit', () => json({ pixels: sevenPixels(), pad: 'x'.repeat(300_000) }), 413, 'payload-too-large'],
        ['an image body over the limit', () => raw('image/png', new Uint8Array(11 * 1024 * 1024)), 413, 'payload-too-large'],
        ['text/plain', () => raw('text/plain', 'seven'), 415, 'unsupported-media-type'],
        ['no content type', () => raw(null, new Uint8Array([1, 2, 3])), 415, 'unsupported-media-type'],
        ['a GIF sent as image/png', () => raw('image/png', GIF_BYTES), 415, 'unsupported-image'],
        ['an empty image body', () => raw('image/png', new Uint8Array(0)), 415, 'unsupported-image'],
        ['a corrupt PNG', () => raw('image/png', corruptPng()), 400, 'corrupt-image'],
        ['a truncated PNG', () => raw('image/png', truncatedPng()), 400, 'corrupt-image'],
        ['a PNG claiming 100000x100000 pixels', () => raw('image/png', pngClaimingSize(100_000, 100_000)), 413, 'image-too-large'],
        ['multipart without an image field', () => multipart('file', pngBytes(drawSeven())), 400, 'missing-image'],
        ['a broken multipart body', () => raw('multipart/form-data; boundary=xyz', '--xyz\r\nnonsense'), 400, undefined],
      ] as const)('rejects %s and stores nothing', async (_, init, status, code) => {
        await expectRejected(request('/api/predict', init()), status, code);
      });

      it('keeps serving after bad input', async () => {
        await request('/api/predict', raw('image/png', truncatedPng()));
        await request('/api/predict', json('{'));
        expect((await request('/api/health')).status).toBe(200);
        await predict();
      });
    });

    describe('POST /api/numbers', () => {
      const numberPng = () => pngBytes(drawNumber('1745'));
      const readNumber = async (init: RequestInit) => {
        const res = await request('/api/numbers', init);
        expect(res.status, await res.clone().text()).toBe(200);
        return body(res);
      };

      it('reads a row of digits left to right, each stored as its own prediction that takes feedback', async () => {
        const before = await total();
        const n = await readNumber(raw('image/png', numberPng()));
        expect(n.text).toBe('1745');
        expect(n.model).toEqual({ name: expect.any(String), version: expect.any(String) });
        expect(n.digits).toHaveLength(4);
        for (const [i, d] of n.digits.entries()) {
          expect(d.id).toMatch(ID);
          expect(d.digit).toBe(Number(n.text[i]));
          expect(d.probabilities).toHaveLength(10);
          expect(d.confidence).toBe(Math.max(...d.probabilities));
          expect(d.isDigit).toBe(true);
          expect(d.box).toEqual({ x: expect.any(Number), y: expect.any(Number), width: expect.any(Number), height: expect.any(Number) });
          if (i) expect(d.box.x).toBeGreaterThan(n.digits[i - 1].box.x + n.digits[i - 1].box.width);
        }
        expect(new Set(n.digits.map((d: { id: string }) => d.id)).size).toBe(4);
        expect(await total()).toBe(before + 4);

        const corrected = await feedback(n.digits[2].id, { trueLabel: 9 });
        expect(corrected.status).toBe(200);
        expect(await body(corrected)).toMatchObject({ id: n.digits[2].id, digit: 4, trueLabel: 9 });
        const { items } = await body(await request('/api/predictions?limit=4'));
        expect(items.map((i: { trueLabel: number | null }) => i.trueLabel).sort()).toEqual([9, null, null, null]);
      });

      it('reads a digit of a number exactly as /api/predict reads it alone', async () => {
        // The 7 of "71" is drawn where the 7 drawn alone is: the same ink, so the same input.
        const alone = await predict(raw('image/png', pngBytes(drawNumber('7'))));
        const n = await readNumber(raw('image/png', pngBytes(drawNumber('71'))));
        expect(n.text).toBe('71');
        expect(n.digits[0].probabilities).toEqual(alone.probabilities);
      });

      it('reads a number sent as its strokes (as the page sends it), each digit stored and answerable like any other', async () => {
        const before = await total();
        const n = await readNumber(json({ ...numberStrokes('1745'), source: 'canvas' }));
        expect(n.text).toBe('1745');
        expect(n.digits.map((d: { isDigit: boolean }) => d.isDigit)).toEqual([true, true, true, true]);
        expect(await total()).toBe(before + 4);
        expect((await feedback(n.digits[0].id, { trueLabel: 1 })).status).toBe(200);
        // Touching digits are two sets of strokes: the 1 moved 80 px right, its 40 px pen overlaps the 7's bar by about 20 px.
        const touching = numberStrokes('17');
        touching.strokes[0]!.points[0]![0] += 80;
        touching.strokes[0]!.points[1]![0] += 80;
        expect((await readNumber(json(touching))).text).toBe('17');
      });

      it('takes JSON pixels and multipart uploads like /api/predict', async () => {
        expect((await readNumber(json({ pixels: sevenPixels() }))).text).toBe('7');
        expect((await readNumber(multipart('image', numberPng()))).text).toBe('1745');
      });

      // Thirteen upright bars on the model's own field: more digits than one drawing may hold.
      const thirteenBars = () => Array.from({ length: 784 }, (_, p) => (p % 2 === 1 && p % 28 < 27 && p >= 9 * 28 && p < 19 * 28 ? 1 : 0));

      it.each([
        ['malformed JSON', () => json('{"pixels": [0, 1,'), 400, 'invalid-json'],
        ['783 pixels', () => json({ pixels: sevenPixels().slice(1) }), 400, 'invalid-pixels'],
        ['a blank canvas PNG', () => raw('image/png', pngBytes(blankImage())), 422, 'empty-drawing'],
        ['a stray dot as PNG', () => raw('image/png', pngBytes(strayDot())), 422, 'empty-drawing'],
        ['more than twelve digits', () => json({ pixels: thirteenBars() }), 422, 'too-many-digits'],
        ['text/plain', () => raw('text/plain', '42'), 415, 'unsupported-media-type'],
        ['a GIF sent as image/png', () => raw('image/png', GIF_BYTES), 415, 'unsupported-image'],
        ['a truncated PNG', () => raw('image/png', truncatedPng()), 400, 'corrupt-image'],
        ['a PNG claiming 100000x100000 pixels', () => raw('image/png', pngClaimingSize(100_000, 100_000)), 413, 'image-too-large'],
        ['an image body over the limit', () => raw('image/png', new Uint8Array(11 * 1024 * 1024)), 413, 'payload-too-large'],
        ['multipart without an image field', () => multipart('file', numberPng()), 400, 'missing-image'],
        ['strokes that are not a list', () => json({ ...numberStrokes('17'), strokes: 'ink' }), 400, 'invalid-strokes'],
        ['no strokes', () => json({ ...numberStrokes('17'), strokes: [] }), 400, 'invalid-strokes'],
        ['a point of three numbers', () => json({ ...numberStrokes('1'), strokes: [{ points: [[1, 2, 3]], pen: 20 }] }), 400, 'invalid-strokes'],
        ['a point that is not a number', () => json({ ...numberStrokes('1'), strokes: [{ points: [[1, null]], pen: 20 }] }), 400, 'invalid-strokes'],
        ['a pen of 0 pixels', () => json({ ...numberStrokes('1'), strokes: [{ points: [[10, 10], [10, 200]], pen: 0 }] }), 400, 'invalid-strokes'],
        ['a canvas of 4096x4096', () => json({ ...numberStrokes('1'), width: 4096, height: 4096 }), 400, 'invalid-strokes'],
        ['more points than a drawing may have', () => json({ ...numberStrokes('1'), strokes: [{ points: Array(10_001).fill([5, 5]), pen: 20 }] }), 400, 'invalid-strokes'],
        ['strokes that would paint more ink than the largest image has pixels', () => json({ strokes: [{ points: Array.from({ length: 2000 }, (_, i) => [i % 2 ? 550 : 10, 140]), pen: 40 }], width: 560, height: 280 }), 400, 'invalid-strokes'],
        ['strokes all off the canvas', () => json({ strokes: [{ points: [[-500, -500], [-400, -300]], pen: 20 }], width: 560, height: 280 }), 422, 'empty-drawing'],
        ['more than twelve digits as strokes', () => json({ strokes: Array.from({ length: 13 }, (_, i) => ({ points: [[20 + i * 40, 60], [20 + i * 40, 220]], pen: 12 })), width: 560, height: 280 }), 422, 'too-many-digits'],
      ] as const)('rejects %s and stores nothing', async (_, init, status, code) => {
        await expectRejected(request('/api/numbers', init()), status, code);
      });
    });

    describe('POST /api/predictions/:id/feedback', () => {
      it('sets the true label, and a later correction replaces it', async () => {
        const p = await predict();
        const wrong = (p.digit + 1) % 10;
        const first = await feedback(p.id, { trueLabel: p.digit });
        expect(first.status).toBe(200);
        const labeled = await body(first);
        expect(labeled).toMatchObject({ id: p.id, digit: p.digit, trueLabel: p.digit, modelVersion: p.model.version });
        expect(Date.parse(labeled.labeledAt)).not.toBeNaN();

        const second = await body(await feedback(p.id, { trueLabel: wrong }));
        expect(second.trueLabel).toBe(wrong);
        // p is the newest prediction: the history's first item.
        const { items } = await body(await request('/api/predictions?limit=1'));
        expect(items[0]).toMatchObject({ digit: p.digit, trueLabel: wrong });
      });

      it('answers 404 for unknown and impossible ids', async () => {
        await expectRejected(feedback('AAAAAAAAAAAAAAAAAAAAAA', { trueLabel: 3 }), 404, 'not-found');
        await expectRejected(feedback('nope', { trueLabel: 3 }), 404, 'not-found');
        await expectRejected(feedback("x'%20OR%201=1--", { trueLabel: 3 }), 404, 'not-found');
      });

      it.each([
        ['10', { trueLabel: 10 }],
        ['-1', { trueLabel: -1 }],
        ['3.5', { trueLabel: 3.5 }],
        ['"3"', { trueLabel: '3' }],
        ['null', { trueLabel: null }],
        ['missing', {}],
      ])('rejects the label %s and changes nothing', async (_, payload) => {
        const p = await predict();
        await expectRejected(feedback(p.id, payload), 400, 'invalid-label');
        const { items } = await body(await request('/api/predictions?limit=1'));
        expect(items[0]).toMatchObject({ digit: p.digit, trueLabel: null });
      });

      it('rejects malformed JSON and other content types', async () => {
        const p = await predict();
        await expectRejected(request(`/api/predictions/${p.id}/feedback`, json('{"trueLabel":')), 400, 'invalid-json');
        await expectRejected(request(`/api/predictions/${p.id}/feedback`, raw('text/plain', '3')), 415, 'unsupported-media-type');
      });
    });

    describe('GET /api/predictions', () => {
      it('pages newest first with an opaque cursor, without gaps or repeats', async () => {
        // Labeled 0..4 in the order made, so the newest five read 4, 3, 2, 1, 0 (the items carry no id).
        for (let label = 0; label < 5; label++) expect((await feedback((await predict()).id, { trueLabel: label })).status).toBe(200);
        const seen: { trueLabel: number | null }[] = [];
        let cursor: string | null = null;
        do {
          const res = await request(`/api/predictions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          expect(res.status).toBe(200);
          const page = await body(res);
          expect(page.items.length).toBeLessThanOrEqual(2);
          for (const item of page.items) {
            expect(Object.keys(item)).toEqual(expect.arrayContaining(['createdAt', 'digit', 'confidence', 'trueLabel', 'modelVersion']));
            expect(item).not.toHaveProperty('id');
          }
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.length).toBe(await total());
        expect(seen.slice(0, 5).map((i) => i.trueLabel)).toEqual([4, 3, 2, 1, 0]);
      });

      it('defaults to 20 items and answers nextCursor null on the last page', async () => {
        const all = await body(await request('/api/predictions?limit=100'));
        const count = await total();
        expect(all.items).toHaveLength(Math.min(count, 100));
        const first = await body(await request('/api/predictions'));
        expect(first.items).toHaveLength(Math.min(count, 20));
        expect(first.nextCursor === null).toBe(count <= 20);
      });

      it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'limit=1.5', 'limit=', 'cursor=garbage', 'cursor=' + 'A'.repeat(40)])(
        'rejects %s with 400',
        async (query) => {
          const b = await expectRejected(request(`/api/predictions?${query}`), 400);
          expect(b.error.code).toBe('invalid-query');
        },
      );
    });

    describe('prediction ids stay with whoever made them', () => {
      /** Every string in a JSON value: its leaves and object keys. */
      const strings = (value: unknown): string[] =>
        typeof value === 'string'
          ? [value]
          : value && typeof value === 'object'
            ? Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)])
            : value === null || value === undefined
              ? []
              : [String(value)];

      /**
       * What someone could try as an id from a text: the text, its base64url-looking runs, and the same of
       * what they decode to (a cursor is base64url of JSON). An id inside a longer run would show in the
       * raw text, which the test checks for the ids it made.
       */
      function candidates(text: string, depth = 0): Set<string> {
        const found = new Set<string>([text]);
        for (const run of text.match(/[A-Za-z0-9_-]+/g) ?? []) {
          found.add(run);
          if (depth === 0 && run.length >= 4) {
            try {
              const decoded = atob(run.replace(/-/g, '+').replace(/_/g, '/'));
              for (const c of candidates(decoded, 1)) found.add(c);
            } catch {
              // not base64: nothing more in it
            }
          }
        }
        return found;
      }

      it('no string that the public endpoints show is accepted as a prediction id for feedback', async () => {
        const mine = await predict();
        const other = await predict();
        const publicAnswers = [
          await request('/api/predictions?limit=1'),
          await request('/api/predictions?limit=100'),
          await request('/api/stats'),
          await request('/api/health'),
          await request('/api/ready'),
          await request('/api/predictions?cursor=garbage'),
          await request('/api/nope'),
          await feedback('AAAAAAAAAAAAAAAAAAAAAA', { trueLabel: 3 }),
          await request('/api/admin/feedback'),
        ];
        // A second page, so that a cursor is among what is shown.
        const firstPage = await body(await request('/api/predictions?limit=1'));
        expect(firstPage.nextCursor).toEqual(expect.any(String));
        publicAnswers.push(await request(`/api/predictions?limit=1&cursor=${encodeURIComponent(firstPage.nextCursor)}`));

        const shown = new Set<string>();
        for (const res of publicAnswers) {
          const text = await res.text();
          expect(text).not.toContain(mine.id);
          expect(text).not.toContain(other.id);
          const json = (() => {
            try {
              return JSON.parse(text);
            } catch {
              return text;
            }
          })();
          for (const s of [...strings(json), ...[...res.headers.values()]]) for (const c of candidates(s)) shown.add(c);
        }
        const tries = [...shown].filter((s) => ID.test(s));
        expect(tries.length).toBeGreaterThan(0);
        const labeled = (await body(await request('/api/stats'))).labeled;
        const statuses = await Promise.all(tries.map(async (s) => [s, (await feedback(s, { trueLabel: 3 })).status]));
        expect(statuses.filter(([, status]) => status !== 404)).toEqual([]);
        expect((await body(await request('/api/stats'))).labeled).toBe(labeled);
        // The drawer's own id works as before.
        expect((await feedback(mine.id, { trueLabel: mine.digit })).status).toBe(200);
      }, 60_000);

      it('an unknown id answers the same 404 as an impossible one, whatever exists', async () => {
        const a = await feedback('AAAAAAAAAAAAAAAAAAAAAA', { trueLabel: 3 });
        const b = await feedback('nope', { trueLabel: 3 });
        expect([a.status, b.status]).toEqual([404, 404]);
        expect((await body(a)).error.code).toBe((await body(b)).error.code);
      });
    });

    describe('GET /api/stats', () => {
      it('counts predictions and scores the labeled ones', async () => {
        const right = await predict();
        const wrong = await predict();
        const before = await body(await request('/api/stats'));
        await feedback(right.id, { trueLabel: right.digit });
        const wrongLabel = (wrong.digit + 1) % 10;
        await feedback(wrong.id, { trueLabel: wrongLabel });
        const s = await body(await request('/api/stats'));

        expect(s.total).toBe(before.total);
        expect(s.labeled).toBe(before.labeled + 2);
        expect(s.correct).toBe(before.correct + 1);
        expect(s.accuracy).toBeCloseTo(s.correct / s.labeled, 10);
        expect(s.confusionMatrix).toHaveLength(10);
        expect(s.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(s.labeled);
        expect(s.confusionMatrix[wrongLabel][wrong.digit]).toBe(before.confusionMatrix[wrongLabel][wrong.digit] + 1);
        expect(s.perDigit).toHaveLength(10);
        const d = s.perDigit[right.digit];
        expect(d.recall).toBeCloseTo(s.confusionMatrix[right.digit][right.digit] / d.support, 10);
        const model = s.byModel.find((m: { modelVersion: string }) => m.modelVersion === right.model.version);
        expect(model).toMatchObject({ total: expect.any(Number), labeled: expect.any(Number) });
        expect(s.byModel.reduce((a: number, m: { total: number }) => a + m.total, 0)).toBe(s.total);
      });
    });

    describe('admin', () => {
      const auth = (token: string) => ({ authorization: `Bearer ${token}` });

      it('requires the bearer token', async () => {
        await expectRejected(request('/api/admin/feedback'), 401, 'unauthorized');
        await expectRejected(request('/api/admin/feedback', { headers: auth('wrong') }), 401, 'unauthorized');
        await expectRejected(request('/api/admin/models/reload', { method: 'POST', headers: auth(`${target.adminToken}x`) }), 401);
      });

      it('exports labeled predictions as NDJSON with their 784 input bytes', async () => {
        const p = await predict();
        await feedback(p.id, { trueLabel: 7 });
        const res = await request('/api/admin/feedback', { headers: auth(target.adminToken) });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('application/x-ndjson');
        const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
        expect(lines.length).toBe((await body(await request('/api/stats'))).labeled);
        const mine = lines.find((l) => l.id === p.id);
        expect(mine).toMatchObject({ trueLabel: 7, modelVersion: p.model.version, predictedDigit: p.digit, heldForReview: false });
        expect(mine.confidence).toBeCloseTo(p.confidence, 6);
        // Who made it, as a keyed hash: retraining caps and splits feedback by it.
        expect(mine.clientHash).toMatch(/^[0-9a-f]{64}$/);
        expect(mine.input).toHaveLength(784);
        // The stored input is the drawing's model pixels as bytes.
        expect(mine.input).toEqual(sevenPixels().map((v) => Math.round(v * 255)));
      });

      it('keeps a label that contradicts a very confident prediction, held for review, and the export says so', async () => {
        const p = await predict();
        expect(p.confidence).toBeGreaterThanOrEqual(0.99); // the test seven is read with near certainty
        const contradicting = (p.digit + 1) % 10;
        expect((await feedback(p.id, { trueLabel: contradicting })).status).toBe(200);
        const res = await request('/api/admin/feedback', { headers: auth(target.adminToken) });
        const row = (await res.text()).trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.id === p.id);
        expect(row).toMatchObject({ trueLabel: contradicting, predictedDigit: p.digit, heldForReview: true });
      });

      it('reloads the current model', async () => {
        const res = await request('/api/admin/models/reload', { method: 'POST', headers: auth(target.adminToken) });
        expect(res.status).toBe(200);
        expect((await body(res)).model).toEqual({ name: expect.any(String), version: expect.any(String) });
        await predict();
      });
    });
  });
}
