// @vitest-environment node
// A number on the page in a real browser against the real server and PostgreSQL: switch to Number,
// write "42" (a four and a two side by side), read it, and answer its digits one by one or all at
// once; every answer lands on that digit's own prediction, checked in the admin export.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  FOUR,
  labeledRows,
  mouseStroke,
  placed,
  RESULTS_DIR,
  openPage,
  type Stack,
  startStack,
  touchStroke,
  TWO,
} from './browser';

/** "42" on the number pad: a four in its left half, a two in its right. */
const FORTY_TWO = [...placed(FOUR, 0, 0.5), ...placed(TWO, 0.5, 0.5)];

type NumberBody = { text: string; digits: { id: string; digit: number; confidence: number }[] };

describe.skipIf(!chromiumAvailable())('a number end to end', { timeout: 90_000 }, () => {
  let stack: Stack;
  beforeAll(async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    stack = await startStack();
  }, 180_000);
  afterAll(async () => stack?.stop(), 60_000);

  const open = (options: Parameters<typeof openPage>[1]) => openPage(stack, options);

  const canvasSize = (page: Page) =>
    page.getByTestId('digit-canvas').evaluate((c: HTMLCanvasElement) => {
      const box = c.getBoundingClientRect();
      return { width: box.width, height: box.height };
    });

  /** Presses Predict; the number is sent as its strokes and shows as the digits in order. */
  async function readNumber(page: Page, press: () => Promise<void>): Promise<NumberBody> {
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/numbers')), press()]);
    expect(response.request().headers()['content-type']).toBe('application/json');
    expect(response.request().postDataJSON()).toMatchObject({ width: 560, height: 280, source: 'canvas' });
    expect(response.status()).toBe(200);
    const body = (await response.json()) as NumberBody;
    await expect.poll(() => page.getByTestId('prediction').textContent()).toBe(body.text);
    return body;
  }

  /** The true labels saved so far, by prediction id. */
  const labels = async () => new Map([...(await labeledRows(stack))].map(([id, row]) => [id, row.trueLabel]));

  it('desktop: a wide pad reads "42"; each digit has its box and its own correction', async () => {
    const { context, page, errors } = await open({ viewport: { width: 1280, height: 900 } });
    const square = await canvasSize(page);
    expect(square.width).toBeCloseTo(square.height, 0);
    expect(await page.getByTestId('mode-digit').getAttribute('aria-pressed')).toBe('true');

    await page.getByTestId('mode-number').click();
    await expect.poll(async () => (await canvasSize(page)).width).toBeGreaterThan(square.width * 1.5);
    const strip = await canvasSize(page);
    expect(strip.width / strip.height).toBeCloseTo(2, 1);

    for (const stroke of FORTY_TWO) await mouseStroke(page, stroke);
    const body = await readNumber(page, () => page.getByTestId('predict').click());
    expect(body.text).toBe('42');
    expect(body.digits.map((d) => d.digit)).toEqual([4, 2]);
    // The number is as sure as its least sure digit.
    const lowest = Math.min(...body.digits.map((d) => d.confidence));
    expect(await page.getByTestId('confidence').textContent()).toBe(`${(lowest * 100).toFixed(1)}%`);
    expect(await page.getByTestId('digit-confidence-1').textContent()).toBe(`${(body.digits[1]!.confidence * 100).toFixed(1)}%`);

    // Each digit's box sits over its half of the pad.
    const pad = (await page.getByTestId('digit-canvas').boundingBox())!;
    const four = (await page.getByTestId('digit-box-0').boundingBox())!;
    const two = (await page.getByTestId('digit-box-1').boundingBox())!;
    expect(four.x).toBeGreaterThan(pad.x);
    expect(four.x + four.width).toBeLessThan(pad.x + pad.width / 2);
    expect(two.x).toBeGreaterThan(pad.x + pad.width / 2);
    expect(two.x + two.width).toBeLessThan(pad.x + pad.width);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'desktop-number.png'), fullPage: true });

    // Correct the two alone: only its prediction takes the label, and the number stays on screen.
    await page.getByTestId('digit-feedback-label-1').fill('7');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/predictions/${body.digits[1]!.id}/feedback`) && r.status() === 200),
      page.getByTestId('digit-feedback-submit-1').click(),
    ]);
    await expect.poll(() => page.getByTestId('digit-saved-1').textContent()).toBe('Saved as 7');
    let saved = await labels();
    expect(saved.get(body.digits[1]!.id)).toBe(7);
    expect(saved.has(body.digits[0]!.id)).toBe(false);
    expect(await page.getByTestId('prediction').textContent()).toBe('42');

    // The main Correct confirms what is left: the four; the two keeps its correction.
    await page.getByTestId('feedback-correct').click();
    await page.getByTestId('prediction').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Thanks: corrected as 47. Draw the next number.');
    saved = await labels();
    expect([saved.get(body.digits[0]!.id), saved.get(body.digits[1]!.id)]).toEqual([4, 7]);

    // Back to one digit: the square pad as before.
    await page.getByTestId('mode-digit').click();
    await expect.poll(() => canvasSize(page)).toEqual(square);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('phone: the strip fills the width, takes touch, and the whole corrected number is typed at once', async () => {
    const { context, page, errors } = await open({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 3,
      hasTouch: true,
      isMobile: true,
    });
    await page.getByTestId('mode-number').tap();
    const strip = await canvasSize(page);
    expect(strip.width).toBeGreaterThan(280);
    expect(strip.width / strip.height).toBeCloseTo(2, 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    for (const stroke of FORTY_TWO) await touchStroke(page, stroke);
    const body = await readNumber(page, () => page.getByTestId('predict').tap());
    expect(body.text).toBe('42');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'phone-number.png'), fullPage: true });

    // The whole number, as many digits as were read: "4" is not enough, "43" is.
    await page.getByTestId('feedback-label').tap();
    await page.keyboard.type('4');
    expect(await page.getByTestId('feedback-submit').isDisabled()).toBe(true);
    await page.keyboard.type('3');
    await page.getByTestId('feedback-submit').tap();
    await page.getByTestId('prediction').waitFor({ state: 'detached' });
    const saved = await labels();
    expect([saved.get(body.digits[0]!.id), saved.get(body.digits[1]!.id)]).toEqual([4, 3]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
