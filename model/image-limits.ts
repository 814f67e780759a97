// What an upload may be: the caps every decoder checks before it spends the cost they bound. The
// sizes come from the header; the chunk, scan and segment counts from walking the file's structure.
import { ImageDecodeError } from './image-decode-error.ts';

/** Most pixels an upload may have: 4 MP keeps decoding plus toModelInput well inside a Worker's 128 MB. */
export const MAX_IMAGE_PIXELS = 2048 * 2048;
/** Longest side an upload may have (a long thin strip is fine up to the pixel limit). */
export const MAX_IMAGE_SIDE = 8192;
/**
 * Most bytes the decoder's samples may take: what 8-bit RGBA at the pixel limit takes. 16-bit PNGs
 * cost as much per byte, so an RGBA one may have half the pixels.
 */
export const MAX_DECODED_BYTES = MAX_IMAGE_PIXELS * 4;
/** Most chunks a PNG may have: an encoder writing 10 MiB of image data in 8 KiB chunks writes 1,280. */
export const MAX_PNG_CHUNKS = 2048;
/**
 * Most scans a JPEG may have: libjpeg writes 10 for a progressive colour image, 6 for a grey one. The
 * decoder walks the blocks of a scan's components once per scan: at the pixel limit, about 30 ms a scan
 * on top of about 0.9 s for the image (2 shared cores).
 */
export const MAX_JPEG_SCANS = 16;
/** Most marker segments a JPEG may have (tables, metadata, scans): real files have a few dozen. */
export const MAX_JPEG_SEGMENTS = 256;

export interface ImageSize {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

/** Refuses a header size over the pixel or side limit (image-too-large). */
export function checkImageSize({ width, height }: ImageSize): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageDecodeError(
      'image-too-large',
      `The image is ${width}x${height} pixels; at most ${MAX_IMAGE_PIXELS} pixels and ${MAX_IMAGE_SIDE} per side are accepted.`,
    );
  }
}
