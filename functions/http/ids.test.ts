import { describe, expect, it } from 'vitest';
import { fromBase64Url, ID_PATTERN, newPredictionId, toBase64Url } from './ids.ts';

describe('prediction ids', () => {
  it('are 22 url-safe characters and differ every time', () => {
    const ids = new Set(Array.from({ length: 1000 }, newPredictionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
  });

  it('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = toBase64Url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect(fromBase64Url(text)).toEqual(bytes);
  });
});
