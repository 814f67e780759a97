// @vitest-environment node
// The page in a real browser against the real server and PostgreSQL: draw, predict, confirm or
// correct, and see it land in the history and the statistics, on a desktop and on a phone.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  FOUR,
  inkInPreview,
  inkOnCanvas,
  labeledRows,
  mouseStroke,
  ONE,
  RESULTS_DIR,
  SEVEN,
  STAR,
  openPage,
  type Stack,
  startStack,
  touchStroke,
} from './browser';

describe.skipIf(!chromiumAvailable())('page end to end', { timeout: 90_000 }, () => {
  let stack: Stack;
  beforeAll(async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    stack = await startStack();
  }, 180_000);
  afterAll(async () => stack?.stop(), 60_000);

  const open = (options: Parameters<typeof openPage>[1]) => openPage(stack, options);

  /** Presses Predict and returns the prediction the server stored, read back from the API. */
  async function predict(page: Page, press = () => page.getByTestId('predict').click()) {
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/predict')), press()]);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { id: string; digit: number; confidence: number };
    await expect.poll(() => page.getByTestId('prediction').textContent()).toBe(String(body.digit));
    // The history lists it first, not answered yet: every earlier drawing here was answered.
    await expect.poll(() => newestRow(page).locator('td').nth(3).textContent()).toBe('–');
    expect(await newestRow(page).locator('td').nth(1).textContent()).toBe(String(body.digit));
    return body;
  }

  /** The prediction as stored once labeled, read back from the admin export. */
  const storedRow = async (id: string) => {
    const row = (await labeledRows(stack)).get(id);
    return row && { digit: row.predictedDigit, trueLabel: row.trueLabel };
  };

  const inViewport = (page: Page, selector: string) =>
    page.$eval(selector, (el) => {
      const box = el.getBoundingClientRect();
      return box.top >= -1 && box.bottom <= window.innerHeight + 1; // subpixel layout
    });

  /** The history's newest row: the table lists newest first, and its rows carry no prediction ids. */
  const newestRow = (page: Page) => page.locator('[data-testid="history"] tbody tr:has(time)').first();

  it('desktop: an empty canvas sends nothing; draw, predict, confirm with Correct', async () => {
    const { context, page, errors } = await open({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
    let predictCalls = 0;
    page.on('request', (r) => r.url().endsWith('/api/predict') && predictCalls++);

    // The backing store follows devicePixelRatio so strokes stay crisp.
    const sizes = await page.getByTestId('digit-canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.clientWidth]);
    expect(sizes[0]).toBe(Math.round(sizes[1] * 2));

    await page.getByTestId('predict').click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/empty/i);
    expect(predictCalls).toBe(0);

    for (const stroke of SEVEN) await mouseStroke(page, stroke);
    await expect.poll(() => inkOnCanvas(page)).toBeGreaterThan(2000);

    const prediction = await predict(page);
    expect(await page.getByTestId('prediction').textContent()).toMatch(/^[0-9]$/);
    expect(await page.getByTestId('confidence').textContent()).toMatch(/^\d{1,3}\.\d%$/);
    expect(await page.locator('ul.bars').first().locator('li').count()).toBe(10);
    expect(await inkInPreview(page)).toBeGreaterThan(20);
    await expect.poll(() => newestRow(page).count()).toBe(1);
    expect(await newestRow(page).locator('td').nth(3).textContent()).toBe('–');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'desktop-prediction.png'), fullPage: true });

    await page.getByTestId('feedback-correct').click();
    await page.getByTestId('prediction').waitFor({ state: 'detached' });
    await expect.poll(() => inkOnCanvas(page)).toBe(0);
    expect(await page.getByTestId('feedback-label').inputValue()).toBe('');
    await expect.poll(() => newestRow(page).locator('td').nth(3).textContent()).toMatch(
      new RegExp(`^${prediction.digit}✓`),
    );
    expect(await storedRow(prediction.id)).toMatchObject({ digit: prediction.digit, trueLabel: prediction.digit });
    await expect.poll(() => page.getByTestId('accuracy').textContent()).toBe('100.0%');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'desktop-after-feedback.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('desktop keyboard: Enter predicts, a typed correction is stored and shown as wrong', async () => {
    const { context, page, errors } = await open({ viewport: { width: 1024, height: 800 } });
    for (const stroke of ONE) await mouseStroke(page, stroke);
    const prediction = await predict(page, () => page.keyboard.press('Enter'));

    const label = (prediction.digit + 1) % 10; // a correction that differs from the answer
    const input = page.getByTestId('feedback-label');
    await input.focus();
    await page.keyboard.type(`x${label}`); // the letter is refused
    expect(await input.inputValue()).toBe(String(label));
    await page.getByTestId('feedback-submit').click();
    await page.getByTestId('prediction').waitFor({ state: 'detached' });
    await expect.poll(() => inkOnCanvas(page)).toBe(0);
    expect(await input.inputValue()).toBe('');

    const row = newestRow(page);
    await expect.poll(() => row.locator('td').nth(3).textContent()).toMatch(new RegExp(`^${label}✗`));
    expect(await row.getAttribute('class')).toContain('wrong');
    expect(await storedRow(prediction.id)).toMatchObject({ trueLabel: label });
    // One confirmed in the test before, one corrected here.
    await expect.poll(() => page.getByTestId('accuracy').textContent()).toBe('50.0%');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('phone: touch draws without scrolling the page, and the layout fits 360px', async () => {
    const { context, page, errors } = await open({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 3,
      hasTouch: true,
      isMobile: true,
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const canvas = page.getByTestId('digit-canvas');
    const width = await canvas.evaluate((c: HTMLCanvasElement) => c.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(280);


    await page.evaluate(() => {
      const w = window as unknown as { pointerTypes: string[] };
      w.pointerTypes = [];
      document.querySelector('[data-testid="digit-canvas"]')!.addEventListener('pointerdown', (e) =>
        w.pointerTypes.push((e as PointerEvent).pointerType),
      );
      window.scrollTo(0, 40);
    });
    const scrollBefore = await page.evaluate(() => window.scrollY);
    expect(scrollBefore).toBeGreaterThan(0); // the page can scroll, so a drag could have scrolled it
    for (const stroke of FOUR) await touchStroke(page, stroke);
    expect(await page.evaluate(() => (window as unknown as { pointerTypes: string[] }).pointerTypes)).toEqual(['touch', 'touch']);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
    await expect.poll(() => inkOnCanvas(page)).toBeGreaterThan(2000);

    await page.screenshot({ path: path.join(RESULTS_DIR, 'phone-drawn.png') });
    const prediction = await predict(page, () => page.getByTestId('predict').tap());
    expect(await page.getByTestId('confidence').textContent()).toMatch(/%$/);
    await expect.poll(() => inViewport(page, '[data-testid="prediction"]')).toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'phone-prediction.png'), fullPage: true });

    await page.getByTestId('feedback-label').tap();
    await page.keyboard.type('4');
    await page.getByTestId('feedback-submit').tap();
    await page.getByTestId('prediction').waitFor({ state: 'detached' });
    await expect.poll(() => inkOnCanvas(page)).toBe(0);
    // Ready for the next digit: the pad is back in view.
    await expect.poll(() => inViewport(page, '[data-testid="digit-canvas"]')).toBe(true);
    await expect.poll(() => newestRow(page).locator('td').nth(3).textContent()).toMatch(/^4/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // The history and the confusion matrix fit without sideways scrolling too.
    const overflow = await page.$$eval('.table-wrap', (els) => els.map((e) => e.scrollWidth - e.clientWidth));
    expect(overflow).toEqual([0, 0]);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'phone-after-feedback.png'), fullPage: true });

    // The alert sits below the pad on a phone: an empty-canvas message scrolls into sight.
    await page.getByTestId('predict').tap();
    await expect.poll(() => page.locator('.result [role="alert"]').textContent()).toMatch(/empty/i);
    await expect.poll(() => inViewport(page, '.result [role="alert"]')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a drawing that is no digit: the page says so, shows the nearest digit and still takes a correction', async () => {
    const { context, page, errors } = await open({ viewport: { width: 1024, height: 800 } });
    await mouseStroke(page, STAR);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/predict')),
      page.getByTestId('predict').click(),
    ]);
    const body = (await response.json()) as { id: string; digit: number; isDigit: boolean };
    expect(body.isDigit).toBe(false);
    await expect.poll(() => page.getByText("That doesn't look like a digit").count()).toBe(1);
    expect(await page.getByTestId('prediction').textContent()).toBe(String(body.digit));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'desktop-not-a-digit.png'), fullPage: true });

    const label = (body.digit + 3) % 10;
    await page.getByTestId('feedback-label').fill(String(label));
    await page.getByTestId('feedback-submit').click();
    await page.getByTestId('prediction').waitFor({ state: 'detached' });
    await expect.poll(async () => (await storedRow(body.id))?.trueLabel).toBe(label);
    expect(errors).toEqual([]);
    await context.close();
  });
});
