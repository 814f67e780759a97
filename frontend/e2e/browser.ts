// Shared set-up of the end-to-end tests: this checkout's page built, the real server on the real
// PostgreSQL (own schema, through websockify), and Debian's Chromium driven by playwright-core.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTestDatabase, startServer, type TestDatabase, type TestServer } from '../../functions/node/testing.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

/** Locally a missing Chromium skips the browser tests; under CI it is an error. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`CI is set but ${CHROMIUM} is missing (apt-get install chromium)`);
  return false;
}

/** Debian's Chromium, headless, with no background traffic (this machine's network is closed). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export type Stack = { db: TestDatabase; server: TestServer; browser: Browser; stop(): Promise<void> };

/** The admin token of the tests' server, so they can read back what a prediction was labeled. */
export const ADMIN_TOKEN = 'e2e-admin-token';

/** The page itself is built beforehand by ./global-setup.ts. */
export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase();
  let server: TestServer | undefined;
  try {
    server = await startServer({ env: { ADMIN_TOKEN, DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy } });
    const browser = await launchChromium();
    const running = server;
    return {
      db,
      server: running,
      browser,
      async stop() {
        await browser.close().catch(() => {});
        await running.stop();
        await db.drop();
      },
    };
  } catch (error) {
    await server?.stop();
    await db.drop();
    throw error;
  }
}

/**
 * A new browser context on the stack's page, loaded until its history shows, with the page's errors
 * (uncaught and console) collected for the test to assert none.
 */
export async function openPage(
  stack: Stack,
  options: Parameters<Browser['newContext']>[0],
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await stack.browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(stack.server.url);
  await page.getByTestId('history').waitFor();
  return { context, page, errors };
}

export type LabeledRow = { id: string; predictedDigit: number; trueLabel: number };

/**
 * The labeled predictions as the admin export holds them, by id: the public history shows no ids
 * (an id belongs only to whoever made the prediction), so this is where a test checks its own.
 */
export async function labeledRows(stack: Stack): Promise<Map<string, LabeledRow>> {
  const res = await fetch(`${stack.server.url}/api/admin/feedback`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (res.status !== 200) throw new Error(`the admin export answered ${res.status}`);
  const rows = (await res.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as LabeledRow);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Pixels of the drawing canvas darker than mid-grey: 0 means the canvas is blank. */
export function inkOnCanvas(page: Page): Promise<number> {
  return page.$eval('[data-testid="digit-canvas"]', (el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
    return dark;
  });
}

/** Bright pixels in the 28x28 preview of what the model saw. */
export function inkInPreview(page: Page): Promise<number> {
  return page.$eval('canvas.preview', (el) => {
    const canvas = el as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, 28, 28).data;
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 64) lit++;
    return lit;
  });
}

/** A path in unit coordinates of the canvas mapped to page coordinates. */
export async function canvasPath(page: Page, unit: [number, number][]): Promise<[number, number][]> {
  const box = (await page.getByTestId('digit-canvas').boundingBox())!;
  return unit.map(([x, y]) => [box.x + x * box.width, box.y + y * box.height]);
}

/** Draws one stroke with the mouse, moving in small steps like a hand does. */
export async function mouseStroke(page: Page, unit: [number, number][]): Promise<void> {
  const [first, ...rest] = await canvasPath(page, unit);
  await page.mouse.move(first[0], first[1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 6 });
  await page.mouse.up();
}

/** Draws one stroke with a finger through the DevTools protocol (real touch input, not synthetic DOM events). */
export async function touchStroke(page: Page, unit: [number, number][]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const points = await canvasPath(page, unit);
  const touch = ([x, y]: [number, number]) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 0.5 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touch(points[0]) });
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1];
    const [bx, by] = points[i];
    for (let s = 1; s <= 6; s++) {
      const t = s / 6;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: touch([ax + (bx - ax) * t, ay + (by - ay) * t]) });
    }
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

// Digit shapes in unit coordinates of the canvas.
export const SEVEN: [number, number][][] = [
  [[0.25, 0.2], [0.5, 0.19], [0.75, 0.2]],
  [[0.75, 0.2], [0.63, 0.45], [0.52, 0.7], [0.46, 0.85]],
];
export const TWO: [number, number][][] = [
  [[0.28, 0.3], [0.38, 0.18], [0.52, 0.15], [0.66, 0.2], [0.7, 0.33], [0.62, 0.48], [0.45, 0.64], [0.28, 0.82], [0.5, 0.82], [0.74, 0.82]],
];
/**
 * A digit's strokes moved into a band of a wider canvas: its unit square squeezed into the columns
 * from `left` to `left + width`, at full height (a number's pad is twice as wide as tall, so a
 * half is a square).
 */
export function placed(strokes: [number, number][][], left: number, width: number): [number, number][][] {
  return strokes.map((stroke) => stroke.map(([x, y]): [number, number] => [left + x * width, y]));
}
/** A five-pointed star in one stroke: no digit. */
export const STAR: [number, number][] = Array.from({ length: 6 }, (_, i): [number, number] => {
  const a = -Math.PI / 2 + (i * 4 * Math.PI) / 5;
  return [0.5 + 0.32 * Math.cos(a), 0.52 + 0.32 * Math.sin(a)];
});
export const ONE: [number, number][][] = [[[0.42, 0.28], [0.52, 0.16], [0.52, 0.5], [0.52, 0.86]]];
export const FOUR: [number, number][][] = [
  [[0.3, 0.15], [0.26, 0.4], [0.24, 0.56], [0.5, 0.56], [0.72, 0.55]],
  [[0.6, 0.15], [0.6, 0.5], [0.6, 0.88]],
];
