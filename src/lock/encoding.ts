// Owns the byte/text conversions the lock feature stores and writes to files: base64 and UTF-8.

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000; // fromCharCode takes arguments: stay far below the engine's limit
  for (let i = 0; i < bytes.length; i += chunk) text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(text);
}

/** Decodes base64; throws on text that is not base64 (a damaged file). */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}
