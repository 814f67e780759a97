// PNG uploads to 8-bit RGBA (decode-image.ts picks the format). The chunk list is walked without
// pixel work first, and image data that could inflate to more than the declared size needs is
// test-inflated in small slices, so neither a huge declared size nor a zlib bomb gets to allocate.
import { decode as decodePng, type DecodedPng } from 'fast-png';
import { Unzlib } from 'fflate';
import { corrupt, ImageDecodeError } from './image-decode-error.ts';
import { MAX_DECODED_BYTES, MAX_PNG_CHUNKS, type ImageSize } from './image-limits.ts';
import type { RgbaImage } from './input-contract.ts';

/** PNG image data is test-inflated this many compressed bytes at a time (at most ~1 MB out per slice). */
const INFLATE_SLICE = 1024;
/** DEFLATE's largest possible expansion (zlib's technical notes): one compressed byte, at most 1032 out. */
const MAX_DEFLATE_RATIO = 1032;
/**
 * Image data that cannot inflate past this many bytes is left to the decoder untested: a canvas
 * export (a few KB of IDAT) then inflates once instead of twice, about half of its decode time.
 */
const HARMLESS_INFLATE_BYTES = 16 * 2 ** 20;

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

/** The size in the IHDR header, read before anything is decoded. */
export function readPngSize(bytes: Uint8Array): ImageSize {
  // Signature (8), then the IHDR chunk: length (4) = 13, type (4), width (4), height (4), ...
  if (bytes.length < 8 + 8 + 13 + 4 || u32(bytes, 8) !== 13 || ascii(bytes, 12, 4) !== 'IHDR') {
    throw corrupt('The PNG does not start with a valid IHDR header.');
  }
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  if (width === 0 || height === 0) throw corrupt(`The PNG declares an empty ${width}x${height} image.`);
  return { format: 'png', width, height };
}

/** Decodes a PNG whose header size passed checkImageSize; throws ImageDecodeError. */
export function decodePngRgba(bytes: Uint8Array, size: ImageSize): RgbaImage {
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

