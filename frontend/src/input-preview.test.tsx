import { render } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputPreview, toGreyRgba } from './input-preview';
import { recordingContext } from './testing/recording-context';

afterEach(() => vi.restoreAllMocks());

describe('toGreyRgba', () => {
  it('maps 0..1 to opaque grey levels and clamps', () => {
    expect(Array.from(toGreyRgba([0, 1, 0.5, 2]))).toEqual([
      0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255, 255, 255, 255, 255,
    ]);
  });
});

describe('InputPreview', () => {
  it('puts the 28x28 picture on a 28x28 canvas that CSS scales up', () => {
    const ctx = recordingContext();
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never);
    const pixels = new Float32Array(784);
    pixels[28 * 14 + 14] = 1;
    const view = render(() => <InputPreview pixels={pixels} />);
    const canvas = view.getByRole('img') as HTMLCanvasElement;
    expect([canvas.width, canvas.height]).toEqual([28, 28]);
    expect(canvas.classList.contains('preview')).toBe(true);
    const put = ctx.calls.find((c) => c.op === 'putImageData');
    const data = (put?.args[0] as ImageData).data;
    expect(data[4 * (28 * 14 + 14)]).toBe(255);
    expect(data[0]).toBe(0);
    expect(data[3]).toBe(255);
  });
});
