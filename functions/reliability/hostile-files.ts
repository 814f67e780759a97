// Hostile uploads built in code (none are committed): each is small to send and, without the decoder's
// bounds, expensive to decode. Built from valid images of the test drawing, so that only the hostile
// part differs.
import { deflateSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { crc32 } from '../../model/testing/crc32.ts';
import { drawSeven, pngBytes, type Bytes } from '../testing/fixtures.ts';

const be32 = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

export const concat = (...parts: Uint8Array[]): Bytes => join(parts);

/** `concat` for more parts than a call may have arguments. */
export function join(parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = concat(new TextEncoder().encode(type), data);
  return concat(Uint8Array.from(be32(data.length)), body, Uint8Array.from(be32(crc32(body))));
}

/** `png` with `chunks` inserted right after its IHDR chunk (which ends at byte 33). */
export const withChunks = (png: Uint8Array, chunks: Uint8Array[]) => join([png.subarray(0, 33), ...chunks, png.subarray(33)]);

/** The test drawing as a 280x280 PNG with an iCCP colour profile that inflates to `inflatedMiB`. */
export function iccpBombPng(inflatedMiB: number): Bytes {
  const profile = deflateSync(new Uint8Array(inflatedMiB * 2 ** 20), { level: 9 });
  return withChunks(pngBytes(drawSeven()), [pngChunk('iCCP', concat(new TextEncoder().encode('bomb\0\0'), profile))]);
}

/** The test drawing's image data cut into one-byte IDAT chunks, padded with empty ones to `chunks`. */
export function oneByteIdatPng(chunks: number): Bytes {
  const png = pngBytes(drawSeven(28));
  const idat = png.subarray(41, 41 + new DataView(png.buffer).getUint32(33)); // the encoder writes one IDAT
  const parts = Array.from(idat, (b) => pngChunk('IDAT', Uint8Array.of(b)));
  const padding = Array.from({ length: Math.max(0, chunks - parts.length) }, () => pngChunk('IDAT', new Uint8Array(0)));
  return join([png.subarray(0, 33), ...parts, ...padding, pngChunk('IEND', new Uint8Array(0))]);
}

/** The test drawing with `totalMiB` of tEXt in `chunks` chunks. */
export function textChunksPng(totalMiB: number, chunks: number): Bytes {
  const text = new Uint8Array(Math.floor((totalMiB * 2 ** 20) / chunks)).fill(0x61);
  text.set(new TextEncoder().encode('Comment\0'));
  return withChunks(pngBytes(drawSeven()), Array.from({ length: chunks }, () => pngChunk('tEXt', text)));
}

/** The test drawing, dark on white, scaled up to `size` (nearest neighbour): drawing it that large is slow. */
export function largeSeven(size: number) {
  const small = drawSeven(256, [20, 20, 20], true);
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    const row = Math.floor((y * 256) / size) * 256;
    for (let x = 0; x < size; x++) data.set(small.data.subarray((row + Math.floor((x * 256) / size)) * 4, (row + Math.floor((x * 256) / size)) * 4 + 4), (y * size + x) * 4);
  }
  return { data, width: size, height: size };
}

/** A 16-bit PNG of the test drawing (grey, or RGBA at 8 bytes a pixel), as an ordinary encoder writes it. */
export function sixteenBitPng(size: number, channels: 1 | 4): Bytes {
  const { data } = largeSeven(size);
  const samples = new Uint16Array(size * size * channels);
  for (let p = 0; p < size * size; p++) {
    if (channels === 1) samples[p] = data[4 * p] * 257;
    else for (let c = 0; c < 4; c++) samples[4 * p + c] = data[4 * p + c] * 257;
  }
  return new Uint8Array(encodePng({ width: size, height: size, data: samples, channels, depth: 16 }));
}

/** A baseline JPEG of the test drawing at `size` whose scan is repeated `scans` times. */
export function manyScanJpeg(size: number, scans: number): Bytes {
  const jpeg = new Uint8Array(encodeJpeg(largeSeven(size), 80).data);
  const sos = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xda);
  const scan = jpeg.subarray(sos, jpeg.length - 2);
  return join([jpeg.subarray(0, sos), ...Array<Uint8Array>(scans).fill(scan), Uint8Array.of(0xff, 0xd9)]);
}

/** A multipart/form-data body of `parts` one-byte fields before the image. */
export function manyPartMultipart(parts: number, image: Uint8Array): { body: Bytes; type: string } {
  const boundary = 'hostile-boundary';
  const field = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n`);
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  return { body: join([...Array<Uint8Array>(parts).fill(field), head, image, tail]), type: `multipart/form-data; boundary=${boundary}` };
}
