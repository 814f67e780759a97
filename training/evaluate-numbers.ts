// How well POST /api/numbers reads numbers written by people it has no data from: numbers of 2-4
// digits composed from held-out UNIPEN writers' digits (training/number_sets.py, one writer per number),
// posted as PNGs (or as their strokes, as the page sends them) through the real app (app.request(),
// ONNX Runtime Web, an embedded database).
//
//   npm run evaluate:numbers -- [--split test|select] [--count N] [--dir DIR] [--errors K] [--chromium | --strokes]
//
// --chromium draws each number's strokes again in Chromium (Debian's, through playwright-core) with
// the page's own painter (frontend/src/stroke-path.ts: smoothed curves, round pen) on a canvas of the
// set's size and posts the canvas's PNG instead of the set's own. --strokes posts the strokes
// themselves, as the page does (JSON: each stroke's points in canvas pixels and its pen).
//
// The select writers are the ones to try segmentation rules on; the test writers are only reported.
// Prints exact-number accuracy, how often the count of digits was right, and per-digit accuracy
// (digits read right where they stand, aligned by the longest common subsequence).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from '../frontend/e2e/browser.ts';
import { readImageSize } from '../model/decode-image.ts';
import { createPgliteStore } from '../functions/store/pglite-store.ts';
import { inProcessTarget, readMigrations } from '../functions/testing/test-deps.ts';
import { ensureSet, type EvaluationSet } from './evaluation-sets.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function numberSet(split: string, count: number): EvaluationSet {
  return {
    module: 'training.number_sets',
    scripts: ['training/number_sets.py', 'training/strokes.py', 'training/unipen.py'],
    args: ['--split', split, '--count', String(count)],
    dir: `${ROOT}.training-cache/numbers-${split}-${count}`,
  };
}

/** Length of the longest common subsequence: digits read right in their place, whatever was added or lost. */
export function matchedDigits(truth: string, read: string): number {
  const row = new Array<number>(read.length + 1).fill(0);
  for (let i = 1; i <= truth.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= read.length; j++) {
      const up = row[j]!;
      row[j] = truth[i - 1] === read[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = up;
    }
  }
  return row[read.length]!;
}

/** The page's painter in a blank Chromium page, with a canvas of `width` x `height` to draw on. */
async function openCanvas(width: number, height: number): Promise<{ page: Page; close(): Promise<void> }> {
  const browser = await launchChromium();
  const page = await browser.newPage();
  const painter = await build({
    entryPoints: [`${ROOT}frontend/src/stroke-path.ts`],
    bundle: true,
    format: 'iife',
    globalName: 'strokePath',
    write: false,
  });
  await page.setContent(`<canvas width="${width}" height="${height}"></canvas>`);
  await page.addScriptTag({ content: painter.outputFiles[0]!.text });
  return { page, close: () => browser.close() };
}

/** The strokes (canvas pixels) painted as the page paints them, exported as PNG bytes. */
async function drawInChromium(page: Page, strokes: number[][][], pen: number): Promise<Uint8Array<ArrayBuffer>> {
  const dataUrl = await page.evaluate(
    ({ strokes, pen }) => {
      const canvas = document.querySelector('canvas')!;
      const ctx = canvas.getContext('2d')!;
      // The page keeps points in units of the canvas's width and height, and the pen in units of its height.
      const { width, height } = canvas;
      const painter = (globalThis as unknown as { strokePath: typeof import('../frontend/src/stroke-path.ts') }).strokePath;
      const units = strokes.map((s) => ({ points: s.map(([x, y]) => ({ x: x! / width, y: y! / height })), width: pen / height }));
      painter.paintDrawing(ctx, units, width, height);
      return canvas.toDataURL('image/png');
    },
    { strokes, pen },
  );
  return new Uint8Array(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
}

export interface NumbersReport {
  numbers: number;
  exact: number;
  countRight: number;
  digits: number;
  digitsRight: number;
  byLength: Record<string, { numbers: number; exact: number }>;
  errors: { file: string; truth: string; read: string }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      split: { type: 'string', default: 'test' },
      count: { type: 'string', default: '1000' },
      dir: { type: 'string' },
      errors: { type: 'string', default: '20' },
      chromium: { type: 'boolean', default: false },
      strokes: { type: 'boolean', default: false },
    },
  });
  if (values.chromium && values.strokes) throw new Error('--chromium and --strokes are two ways of sending a number: choose one');
  const dir = values.dir ?? ensureSet(numberSet(values.split!, Number(values.count)));
  if (!dir) throw new Error('No Python with numpy and PIL to draw the numbers (apt-get install python3-numpy python3-pil)');
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as {
    split: string;
    items: { file: string; text: string; strokes: number[][][]; pen: number }[];
  };
  const size = readImageSize(readFileSync(`${dir}/${manifest.items[0]!.file}`));
  const browser = values.chromium ? await openCanvas(size.width, size.height) : null;

  const target = await inProcessTarget(await createPgliteStore({ dataDir: 'memory://', migrations: await readMigrations() }));
  const report: NumbersReport = { numbers: 0, exact: 0, countRight: 0, digits: 0, digitsRight: 0, byLength: {}, errors: [] };
  const started = performance.now();
  for (const item of manifest.items) {
    const res = await target.request(
      '/api/numbers',
      values.strokes
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ strokes: item.strokes.map((points) => ({ points, pen: item.pen })), width: size.width, height: size.height }),
          }
        : {
            method: 'POST',
            headers: { 'content-type': 'image/png' },
            body: browser ? await drawInChromium(browser.page, item.strokes, item.pen) : new Uint8Array(readFileSync(`${dir}/${item.file}`)),
          },
    );
    const body = (await res.json()) as { text?: string };
    const read = res.status === 200 ? body.text! : '';
    const length = (report.byLength[item.text.length] ??= { numbers: 0, exact: 0 });
    report.numbers++;
    length.numbers++;
    report.digits += item.text.length;
    report.digitsRight += matchedDigits(item.text, read);
    if (read.length === item.text.length) report.countRight++;
    if (read === item.text) {
      report.exact++;
      length.exact++;
    } else report.errors.push({ file: item.file, truth: item.text, read: res.status === 200 ? read : `HTTP ${res.status}` });
  }
  const seconds = (performance.now() - started) / 1000;
  await target.close();
  await browser?.close();

  const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)}%`;
  const drawn = browser ? 'drawn in Chromium' : values.strokes ? 'sent as strokes' : 'as drawn by the set';
  console.log(`${manifest.split} writers, ${report.numbers} numbers of 2-4 digits, ${drawn} (${dir})`);
  console.log(`  read exactly       ${pct(report.exact, report.numbers)} (${report.exact}/${report.numbers})`);
  for (const [n, r] of Object.entries(report.byLength)) console.log(`    ${n} digits          ${pct(r.exact, r.numbers)} (${r.exact}/${r.numbers})`);
  console.log(`  count of digits    ${pct(report.countRight, report.numbers)} right`);
  console.log(`  per digit          ${pct(report.digitsRight, report.digits)} (${report.digitsRight}/${report.digits})`);
  console.log(`  ${((1000 * seconds) / report.numbers).toFixed(1)} ms a number through app.request()`);
  for (const e of report.errors.slice(0, Number(values.errors))) console.log(`  ${e.file}: read ${e.read}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
