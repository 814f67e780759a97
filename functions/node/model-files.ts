// Reads the model version a folder ships (model/ or MODEL_DIR): model/current.json points at the
// versioned .onnx file and its card. The Node server serves the version the database calls current;
// this folder's version only seeds an empty database (training/versions.py writes both).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelFile } from '../inference/model-holder.ts';
import { parseModelPointer } from '../inference/model-pointer.mjs';
import type { StoredModel } from '../store/model-registry.ts';

const readPointer = async (dir: string) => parseModelPointer(await readFile(path.join(dir, 'current.json'), 'utf8'));

export async function loadModelFromDir(dir: string): Promise<ModelFile> {
  const pointer = await readPointer(dir);
  const bytes = new Uint8Array(await readFile(path.join(dir, pointer.file)));
  return { name: pointer.name, version: pointer.version, bytes };
}

/** The current version of the folder with its card (named by current.json, else beside the .onnx). */
export async function loadStoredModelFromDir(dir: string): Promise<StoredModel> {
  const pointer = await readPointer(dir);
  const [bytes, card] = await Promise.all([
    readFile(path.join(dir, pointer.file)),
    readFile(path.join(dir, pointer.card), 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>),
  ]);
  return { name: pointer.name, version: pointer.version, bytes: new Uint8Array(bytes), card };
}
