// Decodes an uploaded PNG or JPEG into 8-bit RGBA for toModelInput. Pure JavaScript, no Node APIs:
// it runs in Cloudflare Workers too. Every cost is bounded before the decoder spends it: sizes are read
// from the header, the file's structure is walked without pixel work (chunk and scan counts, chunks the
// decoder would inflate), and PNG image data that could inflate to more than the limits allow is
// test-inflated in small slices first, so neither a huge declared size nor a zlib bomb gets to allocate.
import { decode as decodePng, type DecodedPng } from 'fast-png';
import { Unzlib } from 'fflate';
import { decode as decodeJpeg } from 'jpeg-js';
import type { RgbaImage } from './input-contract.ts';

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
/**
 * jpeg-js's own allocation cap, what it counts for the largest allowed image at worst (4 components:
 * 4-byte DCT coefficients and a 1-byte line buffer each, plus the RGBA output = 24 bytes per pixel).
 */
const MAX_JPEG_MEMORY_MB = Math.ceil((MAX_IMAGE_PIXELS * 24) / 2 ** 20);
/** PNG image data is test-inflated this many compressed bytes at a time (at most ~1 MB out per slice). */
const INFLATE_SLICE = 1024;
/** DEFLATE's largest possible expansion (zlib's technical notes): one compressed byte, at most 1032 out. */
const MAX_DEFLATE_RATIO = 1032;
/**
 * Image data that cannot inflate past this many bytes is left to the decoder untested: a canvas
 * export (a few KB of IDAT) then inflates once instead of twice, about half of its decode time.
 */
const HARMLESS_INFLATE_BYTES = 16 * 2 ** 20;

export type ImageDecodeErrorCode = 'unsupported-image' | 'corrupt-image' | 'image-too-large';

export class ImageDecodeError extends Error {
  readonly code: ImageDecodeErrorCode;
  constructor(code: ImageDecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageDecodeError';
    this.code = code;
  }
}

export interface ImageSize {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Format and size from the header alone (PNG IHDR, JPEG SOFn); throws ImageDecodeError. */
export function readImageSize(bytes: Uint8Array): ImageSize {
  if (startsWith(bytes, PNG_SIGNATURE)) return readPngSize(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return readJpegSize(bytes);
  throw new ImageDecodeError('unsupported-image', 'The image is neither a PNG nor a JPEG.');
}

/** Decodes a PNG or JPEG into 8-bit RGBA, refusing oversized images before decoding them. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const size = readImageSize(bytes);
  checkLimits(size);
  return size.format === 'png' ? decodePngRgba(bytes, size) : decodeJpegRgba(bytes);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function corrupt(message: string, cause?: unknown): ImageDecodeError {
  return new ImageDecodeError('corrupt-image', message, cause === undefined ? undefined : { cause });
}

function checkLimits({ width, height }: ImageSize): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageDecodeError(
      'image-too-large',
      `The image is ${width}x${height} pixels; at most ${MAX_IMAGE_PIXELS} pixels and ${MAX_IMAGE_SIDE} per side are accepted.`,
    );
  }
}

function readPngSize(bytes: Uint8Array): ImageSize {
  // Signature (8), then the IHDR chunk: length (4) = 13, type (4), width (4), height (4), ...
  if (bytes.length < 8 + 8 + 13 + 4 || u32(bytes, 8) !== 13 || ascii(bytes, 12, 4) !== 'IHDR') {
    throw corrupt('The PNG does not start with a valid IHDR header.');
  }
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  if (width === 0 || height === 0) throw corrupt(`The PNG declares an empty ${width}x${height} image.`);
  return { format: 'png', width, height };
}

// SOF0..SOF15 minus DHT (C4), JPG (C8) and DAC (CC), which share the range.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
// Markers without a length field: TEM, RST0..7 (and SOI, already consumed).
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

function readJpegSize(bytes: Uint8Array): ImageSize {
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

/**
 * Walks the chunk list (no pixel work) and returns what fast-png is to decode: the file itself, or a
 * copy without the ancillary chunks it would otherwise read (iCCP is inflated without a bound, tEXt
 * decoded as text) when there are any; only tRNS is used. The header must be the only IHDR, every
 * chunk must fit the file, the decoded samples the byte budget, and the image data must not inflate
 * beyond what the declared size needs, tested only where its compressed size allows more than is harmless.
 */
function checkPngStructure(bytes: Uint8Array, { width, height }: ImageSize): Uint8Array {
  const { imageData, decodable } = readPngChunks(bytes);
  const bitsPerPixel = bytes[24] * ([1, 0, 3, 1, 2, 0, 4][bytes[25]] ?? 4);
  if (width * height * Math.ceil(bitsPerPixel / 8) > MAX_DECODED_BYTES) {
    throw new ImageDecodeError(
      'image-too-large',
      `The ${width}x${height} PNG at ${bitsPerPixel} bits per pixel needs more than ${MAX_DECODED_BYTES} bytes decoded.`,
    );
  }
  const rawSize = height * (1 + Math.ceil((width * bitsPerPixel) / 8));
  const limit = 2 * rawSize + 1024; // interlaced images add a filter byte per pass row
  const compressed = imageData.reduce((sum, part) => sum + part.length, 0);
  if (compressed * MAX_DEFLATE_RATIO <= Math.max(limit, HARMLESS_INFLATE_BYTES)) return decodable;
  let inflated = 0;
  const inflator = new Unzlib((chunk) => {
    inflated += chunk.length;
    if (inflated > limit) throw corrupt('The PNG image data inflates far beyond its declared size.');
  });
  for (const part of imageData) {
    for (let s = 0; s < part.length; s += INFLATE_SLICE) {
      try {
        inflator.push(part.subarray(s, s + INFLATE_SLICE));
      } catch (error) {
        throw error instanceof ImageDecodeError ? error : corrupt('The PNG image data does not inflate.', error);
      }
    }
  }
  return decodable;
}

/** Critical chunks (upper-case first letter) and tRNS are decoded; every other chunk is dropped unread. */
const isDecodedChunk = (type: string) => type === 'tRNS' || (type.charCodeAt(0) & 0x20) === 0;

/**
 * The IDAT chunks' data, in order, and the file with only the decoded chunks, after checking that
 * every chunk up to IEND fits the file and that there are not too many.
 */
function readPngChunks(bytes: Uint8Array): { imageData: Uint8Array[]; decodable: Uint8Array } {
  const imageData: Uint8Array[] = [];
  const kept: Array<[number, number]> = [[0, 8]]; // byte ranges of the signature and decoded chunks
  let dropped = false;
  let at = 8;
  let seenHeader = false;
  for (let count = 1; ; count++) {
    if (count > MAX_PNG_CHUNKS) throw corrupt(`The PNG has more than ${MAX_PNG_CHUNKS} chunks.`);
    if (at + 12 > bytes.length) throw corrupt('The PNG is truncated.');
    const length = u32(bytes, at);
    const type = ascii(bytes, at + 4, 4);
    const data = at + 8;
    const next = data + length + 4;
    if (next > bytes.length) throw corrupt(`The PNG is truncated inside its ${type} chunk.`);
    if (type === 'IHDR') {
      if (seenHeader) throw corrupt('The PNG has more than one IHDR chunk.');
      seenHeader = true;
    } else if (type === 'IDAT') {
      imageData.push(bytes.subarray(data, data + length));
    }
    if (!isDecodedChunk(type)) dropped = true;
    else if (kept.at(-1)![1] === at) kept.at(-1)![1] = next;
    else kept.push([at, next]);
    if (type === 'IEND') break;
    at = next;
  }
  if (!dropped) return { imageData, decodable: bytes };
  const decodable = new Uint8Array(kept.reduce((n, [from, to]) => n + to - from, 0));
  kept.reduce((offset, [from, to]) => (decodable.set(bytes.subarray(from, to), offset), offset + to - from), 0);
  return { imageData, decodable };
}

function decodePngRgba(bytes: Uint8Array, size: ImageSize): RgbaImage {
  const decodable = checkPngStructure(bytes, size);
  if (bytes[28] === 1 && bytes[24] < 8) {
    // fast-png de-interlaces whole bytes only; 1/2/4-bit interlaced PNGs would come out scrambled.
    throw new ImageDecodeError('unsupported-image', 'Interlaced PNGs with fewer than 8 bits per sample are not supported.');
  }
  let png: DecodedPng;
  try {
    png = decodePng(decodable, { checkCrc: true });
  } catch (error) {
    throw corrupt(`The PNG cannot be decoded: ${(error as Error).message}`, error);
  }
  return pngToRgba(png);
}

/** Any PNG colour type and bit depth to 8-bit RGBA; 16-bit samples keep their high byte. */
function pngToRgba(png: DecodedPng): RgbaImage {
  const { width, height, depth, channels, palette, transparency } = png;
  const n = width * height;
  const samples = unpackSamples(png);
  if (samples.length < n * channels) throw corrupt('The PNG holds less image data than its size needs.');
  // 8-bit RGBA, what a canvas exports: already the result (a third of a PNG request's decode time).
  if (depth === 8 && channels === 4 && !palette && samples instanceof Uint8Array) {
    return { data: samples.length === n * 4 ? samples : samples.subarray(0, n * 4), width, height };
  }
  const rgba = new Uint8Array(n * 4);
  const to8 = depth === 16 ? (v: number) => v >> 8 : depth < 8 ? (v: number) => (v * 255) / (2 ** depth - 1) : (v: number) => v;

  if (palette) {
    for (let p = 0; p < n; p++) {
      const colour = palette[samples[p]];
      if (!colour) throw corrupt('The PNG uses a colour its palette does not have.');
      rgba[4 * p] = colour[0];
      rgba[4 * p + 1] = colour[1];
      rgba[4 * p + 2] = colour[2];
      rgba[4 * p + 3] = colour.length > 3 ? colour[3] : 255;
    }
    return { data: rgba, width, height };
  }
  const grey = channels < 3;
  const hasAlpha = channels === 2 || channels === 4;
  // tRNS on greyscale/truecolour: one colour (at the image's bit depth) is fully transparent.
  const key = transparency && !hasAlpha && transparency.length >= (grey ? 1 : 3) ? transparency : undefined;
  for (let p = 0, s = 0; p < n; p++, s += channels) {
    const r = samples[s];
    const g = grey ? r : samples[s + 1];
    const b = grey ? r : samples[s + 2];
    rgba[4 * p] = to8(r);
    rgba[4 * p + 1] = to8(g);
    rgba[4 * p + 2] = to8(b);
    const keyed = key !== undefined && r === key[0] && (grey || (g === key[1] && b === key[2]));
    rgba[4 * p + 3] = hasAlpha ? to8(samples[s + channels - 1]) : keyed ? 0 : 255;
  }
  return { data: rgba, width, height };
}

/** One sample per array element: sub-byte depths (1, 2, 4 bits) come packed per row from fast-png. */
function unpackSamples({ data, width, height, depth, channels }: DecodedPng): ArrayLike<number> {
  if (depth >= 8) return data;
  const perRow = width * channels;
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(perRow * height);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < perRow; i++) {
      const bit = i * depth;
      out[y * perRow + i] = (data[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
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

function decodeJpegRgba(bytes: Uint8Array): RgbaImage {
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
