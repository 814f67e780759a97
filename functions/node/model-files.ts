// Reads the model the Node server runs: model/current.json points at the versioned .onnx file,
// so retraining can add a version and switch to it with a reload.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ModelFile } from '../inference/model-holder.ts';

const pointerSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  // A plain file name inside the model directory, never a path elsewhere.
  file: z.string().regex(/^[\w.-]+\.onnx$/),
});

export async function loadModelFromDir(dir: string): Promise<ModelFile> {
  const pointerPath = path.join(dir, 'current.json');
  const pointer = pointerSchema.parse(JSON.parse(await readFile(pointerPath, 'utf8')));
  const bytes = new Uint8Array(await readFile(path.join(dir, pointer.file)));
  return { name: pointer.name, version: pointer.version, bytes };
}
