// A one-node ONNX model, C = A x B with A and B both [n, n] float32 inputs: the runtimes' own
// arithmetic ceiling. Timing it in WASM and natively shows how much of the WASM/native gap on the
// digit CNN belongs to the runtime itself rather than to the model or to how it is called.
// Written as protobuf by hand (a few fields of onnx.proto) so the bench needs no ONNX tooling.

const VARINT = 0;
const BYTES = 2;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 127) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const key = (field: number, wire: number) => varint(field * 8 + wire);
const int = (field: number, value: number) => [...key(field, VARINT), ...varint(value)];
const message = (field: number, bytes: number[]) => [...key(field, BYTES), ...varint(bytes.length), ...bytes];
const text = (field: number, value: string) => message(field, [...new TextEncoder().encode(value)]);

/** ValueInfoProto: a float32 tensor of the given shape. */
function tensorInfo(name: string, shape: number[]): number[] {
  const dims = shape.flatMap((d) => message(1, int(1, d))); // TensorShapeProto.dim { dim_value }
  const tensorType = [...int(1, 1), ...message(2, dims)]; // elem_type FLOAT, shape
  return [...text(1, name), ...message(2, message(1, tensorType))]; // name, type { tensor_type }
}

export const MATMUL_SIZE = 256;

/** Multiply-accumulates in one run of the model. */
export const matmulMacs = (n: number) => n ** 3;

export function matmulModel(n: number = MATMUL_SIZE): Uint8Array {
  const node = [...text(1, 'a'), ...text(1, 'b'), ...text(2, 'c'), ...text(4, 'MatMul')];
  const graph = [
    ...message(1, node),
    ...text(2, `matmul-${n}`),
    ...message(11, tensorInfo('a', [n, n])),
    ...message(11, tensorInfo('b', [n, n])),
    ...message(12, tensorInfo('c', [n, n])),
  ];
  // ir_version 7, producer, graph, opset_import { version 13 }
  return Uint8Array.from([...int(1, 7), ...text(2, 'digit-recognizer-bench'), ...message(7, graph), ...message(8, int(2, 13))]);
}
