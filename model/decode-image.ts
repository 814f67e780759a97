// Decodes an uploaded PNG or JPEG into 8-bit RGBA for toModelInput. Pure JavaScript, no Node APIs:
// it runs in Cloudflare Workers too. Every cost is bounded before the decoder spends it: the size is
// read from the header and checked against the caps (image-limits.ts) before decode-png.ts or
// decode-jpeg.ts walks the file's structure and only then decodes it. Every failure is an
// ImageDecodeError (image-decode-error.ts).
import { decodeJpegRgba, readJpegSize } from './decode-jpeg.ts';
import { decodePngRgba, readPngSize } from './decode-png.ts';
import { ImageDecodeError } from './image-decode-error.ts';
import { checkImageSize, type ImageSize } from './image-limits.ts';
import type { RgbaImage } from './input-contract.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** Format and size from the header alone (PNG IHDR, JPEG SOFn); throws ImageDecodeError. */
export function readImageSize(bytes: Uint8Array): ImageSize {
  if (startsWith(bytes, PNG_SIGNATURE)) return readPngSize(bytes);
  if (startsWith(bytes, JPEG_SIGNATURE)) return readJpegSize(bytes);
  throw new ImageDecodeError('unsupported-image', 'The image is neither a PNG nor a JPEG.');
}

/** Decodes a PNG or JPEG into 8-bit RGBA, refusing oversized images before decoding them. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const size = readImageSize(bytes);
  checkImageSize(size);
  return size.format === 'png' ? decodePngRgba(bytes, size) : decodeJpegRgba(bytes);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
