// ORT on a precompiled wasm module, as in Cloudflare Workers, where compiling WebAssembly from bytes at
// run time is refused: here too, every compile from bytes throws while the model loads and runs.
// A file of its own, because ORT initialises its wasm once per module graph.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDir } from '../node/model-files.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { MODEL_DIR } from '../testing/test-deps.ts';
import { createModelHolder, type ModelHolder } from './model-holder.ts';

describe('ONNX classifier on a precompiled wasm module', () => {
  const { compile, instantiate, Module } = WebAssembly;
  let compiledFromBytes = 0;
  let models: ModelHolder;

  beforeAll(async () => {
    const file = createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm');
    const wasmModule = await compile(await readFile(file));
    const refuse = (): never => {
      compiledFromBytes++;
      throw new WebAssembly.CompileError('WebAssembly.instantiate(): Wasm code generation disallowed by embedder');
    };
    WebAssembly.compile = refuse;
    WebAssembly.instantiate = ((source: unknown, imports?: WebAssembly.Imports) =>
      source instanceof Module ? instantiate(source, imports) : refuse()) as typeof WebAssembly.instantiate;
    models = createModelHolder(() => loadModelFromDir(MODEL_DIR), { wasmModule });
    await models.reload();
  });
  afterAll(() => {
    WebAssembly.compile = compile;
    WebAssembly.instantiate = instantiate;
  });

  it('loads and reads the drawn seven without compiling wasm from bytes', async () => {
    const r = await models.current()!.classify(Float32Array.from(sevenPixels()));
    expect(r.digit).toBe(7);
    expect(r.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(compiledFromBytes).toBe(0);
  });
});
