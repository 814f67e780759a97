// Retraining end to end, on fast settings: a real server logs predictions of digits in a style MNIST
// lacks (hollow, outlined strokes), people's corrections are posted, `retrain --from URL` fine-tunes,
// gates and rolls out, and the server then reads held-out digits of that style better. A model trained
// on shuffled labels is refused by the same gate.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../functions/node/testing.ts';
import { decodeImage } from '../model/decode-image.ts';
import { toModelInput } from '../model/input-contract.ts';
import { MODEL_DIR } from './evaluate.ts';
import { findPython } from './python.mjs';

const python = findPython();
const TOKEN = 'retrain-test-token-0123456789';
const work = mkdtempSync(join(tmpdir(), 'digit-retrain-'));
const modelDir = join(work, 'model');
const FAST = ['--steps', '150'];

function drawHollow(out: string, count: number, offset: number): string[] {
  const r = spawnSync(python!, ['-m', 'training.drawn_digits', '--hollow', '--out', out, '--count', String(count),
    '--offset', String(offset)], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return readdirSync(out).filter((f) => f.endsWith('.png')).sort().map((f) => join(out, f));
}
const labelOf = (file: string) => Number(/-digit(\d)\.png$/.exec(file)![1]);

/** Runs a training command without blocking this process, so its HTTP connections stay serviced. */
function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['training/cli.mjs', ...args], { env: { ...process.env, ADMIN_TOKEN: TOKEN } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

describe.skipIf(!python && !process.env.CI)('retraining from feedback', () => {
  let server: TestServer;
  let fed: string[];
  let heldOut: string[];
  // The version the repository serves now, and the one an accepted retrain adds.
  let parent: string;
  let next: string;

  async function predictPng(file: string) {
    const res = await fetch(`${server.url}/api/predict`, {
      method: 'POST', headers: { 'content-type': 'image/png' }, body: readFileSync(file),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; digit: number; model: { version: string } };
  }
  async function accuracyOn(files: string[]) {
    let correct = 0;
    for (const f of files) if ((await predictPng(f)).digit === labelOf(f)) correct++;
    return correct / files.length;
  }

  beforeAll(async () => {
    expect(python, 'a Python with torch and numpy').toBeTruthy();
    // The server and retraining share a copy of model/, so the repository's model is never touched.
    cpSync(MODEL_DIR, modelDir, { recursive: true, filter: (src) => !src.endsWith('.ts') && !src.includes('fixtures') });
    parent = JSON.parse(readFileSync(join(modelDir, 'current.json'), 'utf8')).version;
    next = String(Number(parent) + 1);
    fed = drawHollow(join(work, 'fed'), 300, 0);
    heldOut = drawHollow(join(work, 'held-out'), 200, 30);
    server = await startServer({ env: { ADMIN_TOKEN: TOKEN, MODEL_DIR: modelDir } });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses a model fine-tuned on shuffled labels and changes nothing', async () => {
    // The same drawings as the real feedback, each with the label of another drawing.
    const labels = fed.map(labelOf);
    const lines = fed.map((file, i) => {
      const input = toModelInput(decodeImage(new Uint8Array(readFileSync(file))));
      if (!input.ok) throw new Error(`${file}: ${input.message}`);
      return JSON.stringify({
        id: `shuffled-${i}`, input: Array.from(input.pixels, (v) => Math.round(v * 255)),
        trueLabel: labels[(i * 7919 + 13) % labels.length], modelVersion: parent, createdAt: new Date().toISOString(),
      });
    });
    const feedback = join(work, 'shuffled.ndjson');
    writeFileSync(feedback, lines.join('\n'));
    const before = readFileSync(join(modelDir, 'current.json'), 'utf8');
    const r = await cli(['retrain', '--feedback', feedback, '--model-dir', modelDir, ...FAST]);
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(/refused, nothing changed/);
    expect(readFileSync(join(modelDir, 'current.json'), 'utf8')).toBe(before);
    expect(existsSync(join(modelDir, `digit-cnn-v${next}.onnx`))).toBe(false);
  });

  it('learns the new style from corrections and rolls the new version out', async () => {
    const before = await accuracyOn(heldOut);
    for (const file of fed) {
      const { id } = await predictPng(file);
      const res = await fetch(`${server.url}/api/predictions/${id}/feedback`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trueLabel: labelOf(file) }),
      });
      expect(res.status).toBe(200);
    }

    const r = await cli(['retrain', '--from', server.url, '--model-dir', modelDir, ...FAST]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`accepted: new version v${next}`));

    // The server reloaded without a restart and now answers with the new version.
    expect((await predictPng(heldOut[0]!)).model.version).toBe(next);
    const after = await accuracyOn(heldOut);
    expect(after).toBeGreaterThan(before + 0.2);

    const card = JSON.parse(readFileSync(join(modelDir, `digit-cnn-v${next}.card.json`), 'utf8'));
    expect(card.training.fineTunedFrom).toBe(parent);
    expect(card.feedback.count + card.feedback.heldOutIds.length).toBe(fed.length);
    expect(card.evaluation.mnistTest.accuracy).toBeGreaterThanOrEqual(0.994);
    expect(card.gate.mnistTest.after).toBeGreaterThanOrEqual(card.gate.mnistTest.before - 0.001);

    // Stats can be split by the version that made each prediction.
    const stats = await (await fetch(`${server.url}/api/stats`)).json();
    expect(JSON.stringify(stats)).toContain(`"${next}"`);

    // Rolling back points the server at the parent again.
    const back = await cli(['rollback', '--from', server.url, '--model-dir', modelDir]);
    expect(back.status, back.stdout + back.stderr).toBe(0);
    expect((await predictPng(heldOut[0]!)).model.version).toBe(parent);
    console.log(`hollow digits held out: v${parent} ${before.toFixed(3)}, v${next} ${after.toFixed(3)}; ` +
      `MNIST v${next} ${card.evaluation.mnistTest.accuracy}`);
  }, 600_000);
});
