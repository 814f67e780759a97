// Retraining end to end, on fast settings: a real server logs predictions of digits in a style MNIST
// lacks (hollow, outlined strokes), the corrections of ten people are posted, `retrain --from URL`
// fine-tunes, gates and rolls out, and the server then reads held-out digits of that style better. A
// model trained on shuffled labels is refused by the same gate, and one client's flood of wrong labels
// among the honest ones leaves the accepted model's reading of that digit as it was.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../functions/node/testing.ts';
import { runToEnd } from '../functions/testing/processes.ts';
import { decodeImage } from '../model/decode-image.ts';
import { toModelInput } from '../model/input-contract.ts';
import { MODEL_DIR } from './evaluate.ts';
import { findPython } from './python.mjs';

const python = findPython();
const TOKEN = 'retrain-test-token-0123456789';
const work = mkdtempSync(join(tmpdir(), 'digit-retrain-'));
const modelDir = join(work, 'model');
const FAST = ['--steps', '150'];
/** The honest clients' addresses, as a proxy in front of the server names them. */
const HONEST = Array.from({ length: 10 }, (_, i) => `198.51.100.${i + 1}`);
const ATTACKER = '203.0.113.66';

/** Draws without blocking this process: a blocked event loop misses the server closing an idle
 * keep-alive connection, and the next request would be written into the closed socket. */
async function drawHollow(out: string, count: number, offset: number): Promise<string[]> {
  const r = await runToEnd(python!, ['-m', 'training.drawn_digits', '--hollow', '--out', out, '--count', String(count),
    '--offset', String(offset)]);
  expect(r.status, r.stderr).toBe(0);
  return readdirSync(out).filter((f) => f.endsWith('.png')).sort().map((f) => join(out, f));
}
const labelOf = (file: string) => Number(/-digit(\d)\.png$/.exec(file)![1]);

const cli = (args: string[]) => runToEnd(process.execPath, ['training/cli.mjs', ...args], { ...process.env, ADMIN_TOKEN: TOKEN });

describe.skipIf(!python && !process.env.CI)('retraining from feedback', () => {
  let server: TestServer;
  let fed: string[];
  let heldOut: string[];
  // The version the repository serves now, and the one an accepted retrain adds.
  let parent: string;
  let next: string;

  async function predictPng(file: string, client?: string) {
    const res = await fetch(`${server.url}/api/predict`, {
      method: 'POST', headers: { 'content-type': 'image/png', ...(client ? { 'x-forwarded-for': client } : {}) }, body: readFileSync(file),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { id: string; digit: number; model: { version: string } };
  }
  /** A drawing sent and labeled by one client (the test proxy forwards for it: TRUSTED_PROXIES). */
  async function correct(file: string, trueLabel: number, client: string) {
    const { id } = await predictPng(file, client);
    const res = await fetch(`${server.url}/api/predictions/${id}/feedback`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify({ trueLabel }),
    });
    expect(res.status).toBe(200);
    return id;
  }
  /** What the served model reads in each file. */
  async function readings(files: string[]) {
    const digits: number[] = [];
    for (const f of files) digits.push((await predictPng(f)).digit);
    return digits;
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
    fed = await drawHollow(join(work, 'fed'), 300, 0);
    heldOut = await drawHollow(join(work, 'held-out'), 200, 30);
    // Loopback is the proxy the clients come through; each client is then its own address, unlimited
    // here because one test client posts hundreds of drawings in a few seconds.
    server = await startServer({
      env: { ADMIN_TOKEN: TOKEN, MODEL_DIR: modelDir, TRUSTED_PROXIES: '127.0.0.1,::1', RATE_LIMIT_PER_MINUTE: 'off' },
    });
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
        // Ten clients, so that the gate weighs them against each other, as on a public deployment.
        clientHash: String(i % 10).repeat(64), heldForReview: false,
      });
    });
    const feedback = join(work, 'shuffled.ndjson');
    writeFileSync(feedback, lines.join('\n'));
    const before = readFileSync(join(modelDir, 'current.json'), 'utf8');
    const r = await cli(['retrain', '--feedback', feedback, '--model-dir', modelDir, ...FAST]);
    expect(r.status, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(/refused, nothing changed/);
    expect(r.stdout).toMatch(/no significant improvement on held-out feedback/);
    expect(readFileSync(join(modelDir, 'current.json'), 'utf8')).toBe(before);
    expect(existsSync(join(modelDir, `digit-cnn-v${next}.onnx`))).toBe(false);
  }, 1_200_000);

  it('learns the new style from corrections and rolls the new version out', async () => {
    const before = await accuracyOn(heldOut);
    // Ten people, thirty drawings each: retraining trains on some of them and gates on the others.
    for (const [i, file] of fed.entries()) await correct(file, labelOf(file), HONEST[i % HONEST.length]!);

    const r = await cli(['retrain', '--from', server.url, '--model-dir', modelDir, ...FAST]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`accepted: new version v${next}`));

    // The server reloaded without a restart and now answers with the new version.
    expect((await predictPng(heldOut[0]!)).model.version).toBe(next);
    const after = await accuracyOn(heldOut);
    expect(after).toBeGreaterThan(before + 0.2);

    const card = JSON.parse(readFileSync(join(modelDir, `digit-cnn-v${next}.card.json`), 'utf8'));
    expect(card.training.fineTunedFrom).toBe(parent);
    // Every correction is used, held out for the gate, held for review or over a client's cap.
    const { count, heldOutIds, heldForReviewIds, cappedIds } = card.feedback;
    expect(count + heldOutIds.length + heldForReviewIds.length + cappedIds.length).toBe(fed.length);
    expect(count).toBeGreaterThan(fed.length / 2);
    expect(card.feedback).toMatchObject({ clients: HONEST.length, gateClients: expect.any(Number) });
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
  }, 1_200_000);

  it("keeps one client's 300 wrong labels among honest ones from changing how the accepted model reads that digit", async () => {
    // The attack: hollow sevens (none of them the held-out ones) relabeled as ones, 300 times by one client,
    // beside the ten honest people's corrections above. The parent is served again (rolled back above).
    const sevens = (await drawHollow(join(work, 'attack'), 100, 50)).filter((f) => labelOf(f) === 7);
    const heldSevens = heldOut.filter((f) => labelOf(f) === 7);
    const ones = (digits: number[]) => digits.filter((d) => d === 1).length;
    const right = (digits: number[]) => digits.filter((d) => d === 7).length;
    const heldBefore = await readings(heldSevens);
    const attackedBefore = await readings(sevens);
    const attack: string[] = [];
    for (let i = 0; i < 300; i++) attack.push(await correct(sevens[i % sevens.length]!, 1, ATTACKER));

    const r = await cli(['retrain', '--from', server.url, '--model-dir', modelDir, ...FAST]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const version = /accepted: new version v(\d+)/.exec(r.stdout)?.[1];
    expect(version, r.stdout).toBeTruthy();
    expect((await predictPng(heldSevens[0]!)).model.version).toBe(version);

    // The flood counted as a handful of rows: the rest was held for review (it contradicts confident
    // readings) or over the client's cap.
    const card = JSON.parse(readFileSync(join(modelDir, `digit-cnn-v${version}.card.json`), 'utf8'));
    const used = new Set([...card.feedback.ids, ...card.feedback.heldOutIds]);
    expect(attack.filter((id) => used.has(id)).length).toBeLessThanOrEqual(3);
    expect(card.feedback.clients).toBe(HONEST.length + 1);

    // The accepted model reads sevens as sevens, as before: held-out hollow ones, the attacker's own
    // drawings, and MNIST's.
    const heldAfter = await readings(heldSevens);
    const attackedAfter = await readings(sevens);
    expect(ones(heldAfter)).toBeLessThanOrEqual(ones(heldBefore));
    expect(right(heldAfter)).toBeGreaterThanOrEqual(right(heldBefore));
    expect(ones(attackedAfter)).toBeLessThanOrEqual(ones(attackedBefore));
    const parentCard = JSON.parse(readFileSync(join(modelDir, `digit-cnn-v${parent}.card.json`), 'utf8'));
    expect(card.evaluation.mnistTest.perDigitAccuracy[7]).toBeGreaterThanOrEqual(parentCard.evaluation.mnistTest.perDigitAccuracy[7] - 0.005);
    console.log(`hollow sevens held out read as 7: v${parent} ${right(heldBefore)}/${heldSevens.length}, v${version} ` +
      `${right(heldAfter)}/${heldSevens.length}; as 1: ${ones(heldBefore)} -> ${ones(heldAfter)}; the attacker's sevens as 1: ` +
      `${ones(attackedBefore)} -> ${ones(attackedAfter)} of ${sevens.length}; attack rows used ${attack.filter((id) => used.has(id)).length}`);
  }, 1_200_000);
});
