// Evaluates a model version exactly the way the server runs it: ONNX Runtime Web (WASM) through the
// server's classifier, and for drawings PNG -> decodeImage -> toModelInput -> classifier.
//
//   npx tsx training/evaluate.ts [--version V] [--drawn [--drawn-dir DIR]] [--writers [--writers-dir DIR]] [--write-card]
//
// --drawn also scores the drawn-digit set, --writers the held-out UNIPEN writers' digits and letters
// (training/evaluation-sets.ts draws either first if missing or stale).
// --write-card stores the results in the model card's "evaluation" section.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOnnxClassifier, type Classifier } from '../functions/inference/onnx-classifier.ts';
import { decodeImage } from '../model/decode-image.ts';
import { toModelInput } from '../model/input-contract.ts';
import { DRAWN_DIGITS, ensureSet, HELD_OUT_WRITERS } from './evaluation-sets.ts';
import { loadMnist, mnistPixels } from './mnist.ts';

export const MODEL_DIR = fileURLToPath(new URL('../model/', import.meta.url));

export interface Report {
  count: number;
  accuracy: number;
  /** Expected calibration error of the confidence (15 equal-width bins), as in training/calibrate.py. */
  ece: number;
  perDigitAccuracy: number[];
  /** rows: true digit, columns: predicted digit (-1, "rejected as empty", is left out). */
  confusion: number[][];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function expectedCalibrationError(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 15): number {
  const count = new Array<number>(bins).fill(0);
  const confSum = new Array<number>(bins).fill(0);
  const rightSum = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidence.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence[i]! * bins) - 1));
    count[b]!++;
    confSum[b]! += confidence[i]!;
    rightSum[b]! += correct[i] ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]) ece += Math.abs(confSum[b]! - rightSum[b]!) / confidence.length;
  return round(ece);
}

export function report(labels: ArrayLike<number>, predicted: ArrayLike<number>, confidence: ArrayLike<number>): Report {
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    if (predicted[i]! >= 0) confusion[labels[i]!]![predicted[i]!]!++;
    if (predicted[i] === labels[i]) correct++;
  }
  const totals = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) totals[labels[i]!]!++;
  const right = Array.from(labels, (label, i) => predicted[i] === label);
  return {
    count: labels.length,
    accuracy: round(correct / Math.max(labels.length, 1)),
    ece: expectedCalibrationError(confidence, right),
    perDigitAccuracy: confusion.map((row, d) => round(row[d]! / Math.max(totals[d]!, 1))),
    confusion,
  };
}

export interface ModelCard {
  name: string;
  version: string;
  file: string;
  sha256: string;
  evaluation: Record<string, unknown>;
  [key: string]: unknown;
}

export function readCard(version?: string, dir = MODEL_DIR): { card: ModelCard; path: string } {
  const current = JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8'));
  const path = join(dir, version ? `${current.name}-v${version}.card.json` : current.card);
  return { card: JSON.parse(readFileSync(path, 'utf8')), path };
}

export async function loadClassifier(card: ModelCard, dir = MODEL_DIR): Promise<Classifier> {
  const bytes = new Uint8Array(readFileSync(join(dir, card.file)));
  return createOnnxClassifier(bytes, { name: card.name, version: card.version });
}

export async function evaluateMnist(classifier: Classifier, limit = Infinity): Promise<Report & { notDigit: number }> {
  const test = loadMnist('t10k');
  const count = Math.min(limit, test.count);
  const predicted = new Int8Array(count);
  const confidence = new Float64Array(count);
  let notDigit = 0;
  for (let i = 0; i < count; i++) {
    const result = await classifier.classify(mnistPixels(test, i));
    ({ digit: predicted[i], confidence: confidence[i] } = result);
    if (!result.isDigit) notDigit++;
  }
  return { ...report(test.labels.subarray(0, count), predicted, confidence), notDigit: round(notDigit / count) };
}

/** What the served pipeline makes of one PNG: null when the contract finds it empty. */
async function classifyPng(classifier: Classifier, file: string) {
  const input = toModelInput(decodeImage(new Uint8Array(readFileSync(file))));
  return input.ok ? classifier.classify(input.pixels) : null;
}

export interface WritersReport extends Report {
  /** Share of the digits the model called "not a digit" (they still count for accuracy by their nearest digit). */
  digitsRefused: number;
  letters: { count: number; refused: number };
  /** Accuracy per collecting institution. */
  perSource: Record<string, { count: number; accuracy: number }>;
  /** The most frequent confusions, "true->predicted": count. */
  topConfusions: Record<string, number>;
}

/** The held-out writers' set (training/writer_sets.py): digits and letters of writers never trained on. */
export async function evaluateWriters(classifier: Classifier, dir: string): Promise<WritersReport> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    items: { file: string; label: number | 'letter'; source: string }[];
  };
  const labels: number[] = [];
  const predicted: number[] = [];
  const confidence: number[] = [];
  const sources: string[] = [];
  let digitsRefused = 0;
  let letters = 0;
  let lettersRefused = 0;
  for (const item of manifest.items) {
    const result = await classifyPng(classifier, join(dir, item.file));
    if (item.label === 'letter') {
      letters++;
      if (!result || !result.isDigit) lettersRefused++;
      continue;
    }
    labels.push(item.label);
    sources.push(item.source);
    predicted.push(result ? result.digit : -1);
    confidence.push(result ? result.confidence : 0);
    if (!result?.isDigit) digitsRefused++;
  }
  const perSource: WritersReport['perSource'] = {};
  for (const [i, source] of sources.entries()) {
    const entry = (perSource[source] ??= { count: 0, accuracy: 0 });
    entry.count++;
    if (predicted[i] === labels[i]) entry.accuracy++;
  }
  for (const entry of Object.values(perSource)) entry.accuracy = round(entry.accuracy / entry.count);
  const result = report(labels, predicted, confidence);
  const confusions = result.confusion.flatMap((row, t) => row.map((n, p) => [`${t}->${p}`, t === p ? 0 : n] as const));
  const topConfusions = Object.fromEntries(confusions.filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 8));
  return {
    ...result,
    digitsRefused: round(digitsRefused / Math.max(labels.length, 1)),
    letters: { count: letters, refused: round(lettersRefused / Math.max(letters, 1)) },
    perSource,
    topConfusions,
  };
}

/** Drawn digits are PNGs named `NNNN-digitD.png`; a drawing reported as empty counts as wrong. */
export async function evaluateDrawn(classifier: Classifier, dir: string): Promise<Report & { rejected: number }> {
  const files = readdirSync(dir).filter((f) => /-digit\d\.png$/.test(f)).sort();
  const labels: number[] = [];
  const predicted: number[] = [];
  const confidence: number[] = [];
  for (const file of files) {
    labels.push(Number(/-digit(\d)\.png$/.exec(file)![1]));
    const result = (await classifyPng(classifier, join(dir, file))) ?? { digit: -1, confidence: 0 };
    predicted.push(result.digit);
    confidence.push(result.confidence);
  }
  return { ...report(labels, predicted, confidence), rejected: predicted.filter((p) => p < 0).length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      version: { type: 'string' },
      drawn: { type: 'boolean' },
      'drawn-dir': { type: 'string' },
      writers: { type: 'boolean' },
      'writers-dir': { type: 'string' },
      'model-dir': { type: 'string', default: MODEL_DIR },
      'write-card': { type: 'boolean' },
    },
  });
  const dir = values['model-dir'];
  const { card, path } = readCard(values.version, dir);
  const classifier = await loadClassifier(card, dir);
  const runtime = 'onnxruntime-web (WASM)';
  const mnistTest = { runtime, ...(await evaluateMnist(classifier)) };
  console.log(`${card.name} v${card.version}: MNIST test accuracy ${mnistTest.accuracy}, ECE ${mnistTest.ece} (${runtime})`);
  card.evaluation = { ...card.evaluation, mnistTestServed: mnistTest };
  if (values.drawn) {
    const drawnDir = values['drawn-dir'] ?? ensureSet(DRAWN_DIGITS);
    if (!drawnDir) throw new Error('the drawn-digit set needs Python with numpy and PIL to be drawn (see README)');
    const drawn = await evaluateDrawn(classifier, drawnDir);
    console.log(`drawn digits: accuracy ${drawn.accuracy}, ECE ${drawn.ece} on ${drawn.count} PNGs, ${drawn.rejected} reported empty`);
    card.evaluation.drawnDigits = {
      runtime,
      pipeline: 'PNG -> decodeImage -> toModelInput -> ONNX',
      set: 'training/drawn_digits.py (MNIST test digits re-drawn as canvas strokes; see its manifest)',
      ...drawn,
    };
  }
  if (values.writers) {
    const writersDir = values['writers-dir'] ?? ensureSet(HELD_OUT_WRITERS);
    if (!writersDir) throw new Error('the held-out writers set needs Python with numpy and PIL to be drawn (see README)');
    const writers = await evaluateWriters(classifier, writersDir);
    console.log(`held-out writers: accuracy ${writers.accuracy}, ECE ${writers.ece} on ${writers.count} digits ` +
      `(${writers.digitsRefused} called not a digit); ${writers.letters.refused} of ${writers.letters.count} letters refused`);
    card.evaluation.heldOutWriters = {
      runtime,
      pipeline: 'PNG -> decodeImage -> toModelInput -> ONNX',
      set: 'training/writer_sets.py: the UNIPEN test writers (training/unipen.py), never trained on, drawn as the page sends them',
      ...writers,
    };
  }
  if (values['write-card']) writeFileSync(path, `${JSON.stringify(card, null, 2)}\n`);
  await classifier.release();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
