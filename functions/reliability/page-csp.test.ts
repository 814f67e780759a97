// The page under the server's Content-Security-Policy in Debian's Chromium: it loads with no CSP
// violation and no console error, and a drawn digit gets predicted.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../../frontend/build-page.mjs';
import { chromiumAvailable, launchChromium, mouseStroke, SEVEN } from '../../frontend/e2e/browser.ts';
import { startServer, type TestServer } from '../node/testing.ts';

describe.skipIf(!chromiumAvailable())('the page under the CSP in Chromium', { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    buildPage({ rebuildStale: true });
    server = await startServer();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  it('loads without CSP violations and predicts a drawn digit', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    // Reported by the page itself, whatever the console says.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const res = await page.goto(server.url);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByTestId('history').waitFor();
    for (const stroke of SEVEN) await mouseStroke(page, stroke);
    const [predicted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/predict')),
      page.getByTestId('predict').click(),
    ]);
    expect(predicted.status()).toBe(200);
    await expect.poll(() => page.getByTestId('prediction').textContent()).toMatch(/^[0-9]$/);
    expect(problems).toEqual([]);
  });
});
