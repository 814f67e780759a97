// Prediction ids: 128 random bits as 22 base64url characters. Unguessable, so knowing one id
// reveals nothing about others; crypto.getRandomValues exists in Node and in Workers alike.
export const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newPredictionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return toBase64Url(bytes);
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
