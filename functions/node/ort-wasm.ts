// ORT's wasm binary, read from the installed package and handed to onnxruntime-web, rather than
// leaving ORT to locate it relative to its own bundle (which breaks once the server is bundled).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { OrtWasmOptions } from '../inference/onnx-classifier.ts';

export async function nodeOrtWasm(): Promise<OrtWasmOptions> {
  const file = createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
  return { wasmBinary: new Uint8Array(await readFile(file)) };
}
