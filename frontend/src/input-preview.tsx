import { createEffect } from 'solid-js';

export const PREVIEW_SIDE = 28;

/** Writes 784 grey levels (0..1, white ink on black) into RGBA bytes. */
export function toGreyRgba(pixels: ArrayLike<number>): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(pixels.length * 4);
  for (let i = 0; i < pixels.length; i++) {
    const v = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = v;
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/**
 * The exact 28x28 picture the model received, scaled up with `image-rendering: pixelated`, so a
 * person can see why it guessed what it guessed (a stroke cropped away, a 7 read as a 1...).
 */
export function InputPreview(props: { pixels: Float32Array }) {
  let canvas!: HTMLCanvasElement;
  createEffect(() => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(PREVIEW_SIDE, PREVIEW_SIDE);
    image.data.set(toGreyRgba(props.pixels));
    ctx.putImageData(image, 0, 0);
  });
  return (
    <canvas
      ref={canvas}
      class="preview"
      width={PREVIEW_SIDE}
      height={PREVIEW_SIDE}
      role="img"
      aria-label="The 28 by 28 pixel picture the model read"
    />
  );
}
