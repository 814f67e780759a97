// The image of a multipart/form-data upload. The platform's form parser builds every part it finds
// (120,000 one-byte parts take seconds), so the parts are counted first, on the raw bytes.
import { ApiError } from '../errors.ts';

/** Most parts an upload may have: the page sends one, a form with a few fields fits easily. */
export const MAX_MULTIPART_PARTS = 16;

/** How often `needle` occurs in `bytes`, counting no further than `limit + 1`. */
function countUpTo(bytes: Uint8Array, needle: Uint8Array, limit: number): number {
  let count = 0;
  for (let at = bytes.indexOf(needle[0]); at >= 0 && count <= limit; at = bytes.indexOf(needle[0], at + 1)) {
    let i = 1;
    while (i < needle.length && bytes[at + i] === needle[i]) i++;
    if (i === needle.length) count++;
  }
  return count;
}

/** The "image" field of a multipart body; `type` is its Content-Type header, which names the boundary. */
export async function multipartImage(type: string, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(type);
  if (!boundary) throw new ApiError(400, 'invalid-multipart', 'The multipart body has no boundary');
  // Each part starts with a delimiter line, and the body ends with one more.
  const delimiters = countUpTo(bytes, new TextEncoder().encode(`--${boundary[1] ?? boundary[2]}`), MAX_MULTIPART_PARTS + 1);
  if (delimiters > MAX_MULTIPART_PARTS + 1) {
    throw new ApiError(413, 'too-many-parts', `A multipart upload may have at most ${MAX_MULTIPART_PARTS} parts`);
  }
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new ApiError(400, 'invalid-multipart', 'The multipart body could not be parsed');
  }
  const file = form.get('image');
  if (!(file instanceof Blob)) throw new ApiError(400, 'missing-image', 'Send the image in the multipart field "image"');
  return new Uint8Array(await file.arrayBuffer());
}
