// Test support: picture files built byte by byte with the width and height their headers claim — real PNGs (with
// checksums and compressed pixels), and JPEG and WebP headers followed by filler up to a chosen size.
import { createHash, randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A real, decodable black-and-white PNG (1 bit per pixel, all black): tiny on disk however large it decodes. */
export function png(width: number, height: number): Uint8Array<ArrayBuffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, standard filter, not interlaced
  const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // a filter byte and the packed pixels per row
  const file = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
  return new Uint8Array(file);
}

function filled(head: number[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.max(size, head.length));
  bytes.set(head);
  bytes.set(randomBytes(bytes.length - head.length), head.length);
  return bytes;
}

/** A JPEG: start of image, a JFIF segment, then a baseline frame header (SOF0) with the size, then filler. */
export function jpeg(width: number, height: number, size = 2000): Uint8Array<ArrayBuffer> {
  const jfif = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const frame = [
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ];
  return filled([0xff, 0xd8, ...jfif, ...frame], size);
}

const le = (value: number, bytes: number) => Array.from({ length: bytes }, (_, i) => (value >>> (8 * i)) & 0xff);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** A WebP of each kind: lossy (VP8), lossless (VP8L) or extended (VP8X, whose canvas may claim 16 million pixels a side). */
export function webp(kind: 'VP8 ' | 'VP8L' | 'VP8X', width: number, height: number, size = 2000): Uint8Array<ArrayBuffer> {
  const riff = (payload: number[]) => [...ascii('RIFF'), ...le(Math.max(size, payload.length + 12) - 8, 4), ...ascii('WEBP'), ...payload];
  if (kind === 'VP8 ')
    return filled(riff([...ascii('VP8 '), ...le(size - 20, 4), 0x50, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le(width, 2), ...le(height, 2)]), size);
  if (kind === 'VP8L')
    return filled(riff([...ascii('VP8L'), ...le(size - 20, 4), 0x2f, ...le(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 4)]), size);
  return filled(riff([...ascii('VP8X'), ...le(10, 4), 0, 0, 0, 0, ...le(width - 1, 3), ...le(height - 1, 3)]), size);
}
