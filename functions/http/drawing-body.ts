// The upload forms a drawing may come in besides JSON: a raw PNG/JPEG body or a multipart field
// "image", and how a picture that cannot be decoded is answered.
import type { Context } from 'hono';
import { ImageDecodeError } from '../../model/image-decode-error.ts';
import { ApiError } from '../errors.ts';
import { bodyBytes } from './body-bytes.ts';
import { multipartImage } from './multipart.ts';

export const IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);

const IMAGE_ERROR_STATUS = { 'unsupported-image': 415, 'corrupt-image': 400, 'image-too-large': 413 } as const;

/** Whether a media type is an upload (`uploadBytes` reads it). */
export const isUpload = (type: string) => IMAGE_TYPES.has(type) || type === 'multipart/form-data';

export async function uploadBytes(c: Context, type: string): Promise<Uint8Array> {
  const bytes = await bodyBytes(c);
  return IMAGE_TYPES.has(type) ? bytes : multipartImage(c.req.header('content-type') ?? '', bytes);
}

/** Runs `decode`, answering a picture that is no PNG/JPEG, corrupt or too large with its 4xx. */
export async function decodingUpload<T>(decode: () => T | Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    if (error instanceof ImageDecodeError) throw new ApiError(IMAGE_ERROR_STATUS[error.code], error.code, error.message);
    throw error;
  }
}

export const unsupportedMediaType = () =>
  new ApiError(
    415,
    'unsupported-media-type',
    'Send application/json pixels, an image/png or image/jpeg body, or multipart/form-data with field "image"',
  );
