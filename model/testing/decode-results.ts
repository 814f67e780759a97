// What decodeImage made of some bytes, in the form the decoder's tests compare.
import { decodeImage } from '../decode-image.ts';
import { ImageDecodeError } from '../image-decode-error.ts';

/** Each pixel's [r, g, b, a]. */
export function pixels(bytes: Uint8Array): number[][] {
  const { data, width, height } = decodeImage(bytes);
  return Array.from({ length: width * height }, (_, p) => Array.from(data.subarray(4 * p, 4 * p + 4)));
}

/** The ImageDecodeError decodeImage throws (any other outcome fails the test). */
export function decodeError(bytes: Uint8Array): ImageDecodeError {
  try {
    decodeImage(bytes);
  } catch (error) {
    if (error instanceof ImageDecodeError) return error;
    throw error;
  }
  throw new Error('expected decodeImage to throw');
}
