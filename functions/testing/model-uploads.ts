// Bodies for POST /api/admin/models made from a shipped version (its real .onnx and card) under another
// version number, as training/versions.py sends them; and the ways an upload can be broken.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../store/model-registry.ts';

export interface ModelUpload {
  card: Record<string, unknown>;
  onnx: string;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** digit-cnn-v`from` from `dir`, published as `version`; `bytes` replaces the .onnx (the card's sha256 follows it). */
export async function uploadOf(dir: string, from: string, version: string, bytes?: Uint8Array): Promise<ModelUpload> {
  const card = JSON.parse(await readFile(path.join(dir, `digit-cnn-v${from}.card.json`), 'utf8')) as Record<string, unknown>;
  const onnx = bytes ?? new Uint8Array(await readFile(path.join(dir, `digit-cnn-v${from}.onnx`)));
  return { card: { ...card, version, bytes: onnx.length, sha256: await sha256Hex(onnx) }, onnx: base64(onnx) };
}

/** Uploads that must be refused with a 4xx, each with the error code expected. */
export async function brokenUploads(dir: string, version: string): Promise<[string, unknown, number, string][]> {
  const good = await uploadOf(dir, '1', version);
  const onnx = new Uint8Array(Buffer.from(good.onnx, 'base64'));
  const truncated = await uploadOf(dir, '1', version, onnx.slice(0, onnx.length / 2));
  const onnxOf = (good.card.onnx ?? {}) as Record<string, unknown>;
  return [
    ['the .onnx cut in half (its sha256 in the card)', truncated, 422, 'invalid-model'],
    ['bytes that are not the card\'s sha256', { ...good, onnx: base64(onnx.slice(1)) }, 422, 'invalid-model'],
    ['a card without the pixels input', { ...good, card: { ...good.card, onnx: { ...onnxOf, inputs: {} } } }, 422, 'invalid-model'],
    ['a card for another input size', { ...good, card: { ...good.card, onnx: { ...onnxOf, inputs: { pixels: 'float32 [N, 1, 32, 32]' } } } }, 422, 'invalid-model'],
    ['a version that is a path', { ...good, card: { ...good.card, version: '../3' } }, 422, 'invalid-model'],
    ['onnx that is not base64', { ...good, onnx: '%%%' }, 400, 'invalid-model-upload'],
    ['no card', { onnx: good.onnx }, 400, 'invalid-model-upload'],
  ];
}
