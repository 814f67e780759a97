// @vitest-environment node
// The learning loop page (/admin.html) in a real browser against the real server and PostgreSQL: the
// token typed in and kept for the tab only, the versions with their gate figures and live accuracy,
// a promotion that the main API serves at once, and a retraining job followed to its verdict.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_DIR } from '../../functions/testing/test-deps.ts';
import { sevenPixels } from '../../functions/testing/fixtures.ts';
import { ADMIN_TOKEN, chromiumAvailable, RESULTS_DIR, type Stack, startStack } from './browser';

/** The version model/current.json names, which seeds the empty database. */
const SHIPPED: string = JSON.parse(readFileSync(path.join(MODEL_DIR, 'current.json'), 'utf8')).version;

describe.skipIf(!chromiumAvailable())('learning loop page end to end', { timeout: 90_000 }, () => {
  let stack: Stack;
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`${stack.server.url}${p}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers } });
  const predict = async () => {
    const res = await api('/api/predict', { method: 'POST', body: JSON.stringify({ pixels: sevenPixels() }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; digit: number; model: { version: string } };
  };

  beforeAll(async () => {
    stack = await startStack();
    // The database starts with the shipped version; v1 is published beside it and becomes current.
    const card = JSON.parse(readFileSync(path.join(MODEL_DIR, 'digit-cnn-v1.card.json'), 'utf8'));
    const onnx = readFileSync(path.join(MODEL_DIR, 'digit-cnn-v1.onnx')).toString('base64');
    const published = await api('/api/admin/models', { method: 'POST', body: JSON.stringify({ card, onnx }) });
    expect(published.status, await published.clone().text()).toBe(201);
    // v1's live record: two predictions, one labeled right.
    const first = await predict();
    expect(first.model.version).toBe('1');
    await predict();
    await api(`/api/predictions/${first.id}/feedback`, { method: 'POST', body: JSON.stringify({ trueLabel: first.digit }) });
  }, 180_000);
  afterAll(async () => stack?.stop(), 60_000);

  const row = (page: Page, version: string) => page.getByTestId(`admin-version-${version}`);

  it('takes the token for the tab, lists the versions, promotes one that the API then serves, follows a retraining job', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const response = await page.goto(`${stack.server.url}/admin.html`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // The built page holds no token: it asks for one.
    expect(await page.content()).not.toContain(ADMIN_TOKEN);

    // A wrong token is refused and forgotten.
    await page.getByTestId('admin-token').fill('not-the-token');
    await page.getByTestId('admin-sign-in').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/refused/);
    await expect.poll(() => page.evaluate(() => sessionStorage.length)).toBe(0);
    // Both calls of the sign-in (versions and live accuracy) were refused; the alert may show before the
    // second refusal's console line arrives, so wait for both before clearing them.
    await expect.poll(() => errors.filter((e) => /status of 401/.test(e)).length).toBe(2);
    expect(errors).toHaveLength(2);
    errors.length = 0;

    await page.getByTestId('admin-token').fill(ADMIN_TOKEN);
    await page.getByTestId('admin-sign-in').click();
    await row(page, SHIPPED).waitFor();
    expect(await row(page, '1').getAttribute('data-current')).toBe('true');
    expect(await row(page, SHIPPED).getAttribute('data-current')).toBe('false');
    expect(await page.getByTestId('admin-live-accuracy-1').textContent()).toBe('100.00%');
    expect(await row(page, '1').textContent()).toContain('trained from scratch');
    // The shipped version was added first (the seed), so going back to it is a rollback.
    expect(await page.getByTestId(`admin-make-current-${SHIPPED}`).textContent()).toBe('Roll back');
    // Kept for this tab only: sessionStorage, nothing in localStorage.
    expect(await page.evaluate(() => [localStorage.length, Object.values(sessionStorage)])).toEqual([0, [ADMIN_TOKEN]]);

    const [set] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/admin/models/${SHIPPED}/current`)),
      page.getByTestId(`admin-make-current-${SHIPPED}`).click(),
    ]);
    expect(set.status()).toBe(200);
    await expect.poll(() => row(page, SHIPPED).getAttribute('data-current')).toBe('true');
    expect(await page.getByTestId('admin-make-current-1').textContent()).toBe('Promote');
    expect((await predict()).model.version).toBe(SHIPPED);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'admin-desktop.png'), fullPage: true });

    // Retrain queues a job; the page follows it to the verdict a trainer posts (here through the API).
    await page.getByTestId('admin-retrain').click();
    await expect.poll(() => page.getByTestId('admin-job-state').textContent()).toBe('queued');
    expect(await page.getByTestId('admin-retrain').isDisabled()).toBe(true);
    const { job } = (await (await api('/api/admin/retrain-jobs/claim', { method: 'POST' })).json()) as { job: { id: string } };
    const result = { accepted: false, parent: SHIPPED, reasons: ['too little feedback: need at least 20 rows'] };
    await api(`/api/admin/retrain-jobs/${job.id}/finish`, { method: 'POST', body: JSON.stringify({ state: 'refused', result }) });
    await expect.poll(() => page.getByTestId('admin-job-state').textContent(), { timeout: 10_000 }).toBe('refused');
    expect(await page.getByTestId(`admin-job-${job.id}`).textContent()).toContain('too little feedback');
    expect(await page.getByTestId('admin-retrain').isDisabled()).toBe(false);

    // A reload in the same tab keeps the token; a new tab asks again.
    await page.reload();
    await row(page, SHIPPED).waitFor();
    const other = await context.newPage();
    await other.goto(`${stack.server.url}/admin.html`);
    await other.getByTestId('admin-token').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
