// JPEG uploads to 8-bit RGBA (decode-image.ts picks the format), through jpeg-js under its own
// allocation cap, after the marker segments and scans, which jpeg-js does not bound, are counted.
import { decode as decodeJpeg } from 'jpeg-js';
import { corrupt, ImageDecodeError } from './image-decode-error.ts';
import { MAX_IMAGE_PIXELS, MAX_JPEG_SCANS, MAX_JPEG_SEGMENTS, type ImageSize } from './image-limits.ts';
import type { RgbaImage } from './input-contract.ts';

/**
 * jpeg-js's own allocation cap, what it counts for the largest allowed image at worst (4 components:
 * 4-byte DCT coefficients and a 1-byte line buffer each, plus the RGBA output = 24 bytes per pixel).
 */
const MAX_JPEG_MEMORY_MB = Math.ceil((MAX_IMAGE_PIXELS * 24) / 2 ** 20);

// SOF0..SOF15 minus DHT (C4), JPG (C8) and DAC (CC), which share the range.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
// Markers without a length field: TEM, RST0..7 (and SOI, already consumed).
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

/** The size in the first SOFn frame header, read before anything is decoded. */
export function readJpegSize(bytes: Uint8Array): ImageSize {
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw corrupt(`The JPEG has no marker where one belongs (offset ${at}).`);
    while (bytes[at] === 0xff) at++; // fill bytes
    const marker = bytes[at];
    if (at >= bytes.length) break;
    if (isStandalone(marker)) {
      at++;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // EOI or scan data before any frame header
    if (at + 2 >= bytes.length) break;
    const length = u16(bytes, at + 1);
    if (length < 2 || at + 1 + length > bytes.length) break;
    if (isStartOfFrame(marker)) {
      if (length < 8) break;
      const height = u16(bytes, at + 4);
      const width = u16(bytes, at + 6);
      if (width === 0 || height === 0) throw corrupt(`The JPEG declares an empty or deferred ${width}x${height} frame.`);
      return { format: 'jpeg', width, height };
    }
    at += 1 + length;
  }
  throw corrupt('The JPEG has no readable frame header.');
}

/** Decodes a JPEG whose header size passed checkImageSize; throws ImageDecodeError. */
export function decodeJpegRgba(bytes: Uint8Array): RgbaImage {
  checkJpegStructure(bytes);
  try {
    const { data, width, height } = decodeJpeg(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: MAX_JPEG_MEMORY_MB,
    });
    return { data, width, height };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/maxResolutionInMP|maxMemoryUsageInMB|allocate enough memory/.test(message)) {
      throw new ImageDecodeError('image-too-large', `The JPEG is too large to decode: ${message}`, { cause: error });
    }
    throw corrupt(`The JPEG cannot be decoded: ${message}`, error);
  }
}

/**
 * Counts the marker segments and scans (no pixel work): jpeg-js has no limit of its own on either,
 * and each scan costs a pass over every block. Entropy-coded data after a scan header is skipped to
 * the next marker (0xFF followed by neither a stuffed 0x00 nor a restart marker).
 */
function checkJpegStructure(bytes: Uint8Array): void {
  let scans = 0;
  let segments = 0;
  let at = 2;
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) {
      if (scans === 0) throw corrupt(`The JPEG has no marker where one belongs (offset ${at}).`);
      const next = bytes.indexOf(0xff, at);
      if (next < 0) return;
      at = next;
      continue;
    }
    const marker = bytes[at + 1];
    if (marker === 0xff || (scans > 0 && (marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7)))) {
      at += marker === 0xff ? 1 : 2; // a fill byte, or stuffed/restart bytes inside a scan
      continue;
    }
    if (marker === 0xd9) return; // EOI
    if (isStandalone(marker)) {
      at += 2;
      continue;
    }
    if (++segments > MAX_JPEG_SEGMENTS) throw corrupt(`The JPEG has more than ${MAX_JPEG_SEGMENTS} marker segments.`);
    if (marker === 0xda && ++scans > MAX_JPEG_SCANS) {
      throw new ImageDecodeError('image-too-large', `The JPEG has more than ${MAX_JPEG_SCANS} scans.`);
    }
    if (at + 3 >= bytes.length) return;
    at += 2 + u16(bytes, at + 2);
  }
}

