// Types of bundled.generated.js, which generate-bundled.mjs writes at build time.
export declare const model: { name: string; version: string; file: string };
/** The .onnx file model/current.json names (a wrangler Data module). */
export declare const modelBytes: ArrayBuffer;
/** That version's card (model/digit-cnn-vN.card.json). */
export declare const modelCard: Record<string, unknown>;
/** migrations/*.sql in order, each file a wrangler Text module. */
export declare const migrations: readonly import('../store/migrations.ts').Migration[];
/** ORT's wasm, compiled by the platform (a wrangler CompiledWasm module). */
export declare const ortWasm: WebAssembly.Module;
