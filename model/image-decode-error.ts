// How an upload can fail to decode, one error for every format, its code answered to the client.

export type ImageDecodeErrorCode = 'unsupported-image' | 'corrupt-image' | 'image-too-large';

export class ImageDecodeError extends Error {
  readonly code: ImageDecodeErrorCode;
  constructor(code: ImageDecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageDecodeError';
    this.code = code;
  }
}

/** The error of a file that is truncated, malformed or undecodable. */
export function corrupt(message: string, cause?: unknown): ImageDecodeError {
  return new ImageDecodeError('corrupt-image', message, cause === undefined ? undefined : { cause });
}
