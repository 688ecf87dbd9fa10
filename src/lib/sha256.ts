// Owns the SHA-256 of bytes as lowercase hex, with the Web Crypto API that the tablet, its tests and Node share: the
// name of a picture everywhere (tablet, server, packs, backups). Pure; imports nothing.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const byte of digest) hex += HEX[byte];
  return hex;
}
