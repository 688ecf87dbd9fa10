// Owns reading a picture's width and height from its first bytes (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X),
// without decoding it, so a small file that would decode to a huge bitmap is refused before anyone opens it.
import type { BlobType } from './version';
import { LIMITS } from './version';

export interface PictureSize {
  width: number;
  height: number;
}

const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((char, i) => bytes[at + i] === char.charCodeAt(0));
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_BIT_DEPTHS = new Set([1, 2, 4, 8, 16]);
const PNG_COLOUR_TYPES = new Set([0, 2, 3, 4, 6]);

function pngSize(b: Uint8Array): PictureSize | undefined {
  // The signature, then the IHDR chunk first: length 13, "IHDR", width, height, bit depth, colour type.
  if (b.length < 33 || !PNG_SIGNATURE.every((byte, i) => b[i] === byte)) return undefined;
  if (u32be(b, 8) !== 13 || !ascii(b, 12, 'IHDR') || !PNG_BIT_DEPTHS.has(b[24]!) || !PNG_COLOUR_TYPES.has(b[25]!)) return undefined;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

// Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not.
const JPEG_FRAME_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegSize(b: Uint8Array): PictureSize | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return undefined;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // the image ends or its data starts before any frame header
    const length = u16be(b, at + 2);
    if (length < 2) return undefined;
    if (JPEG_FRAME_MARKERS.has(marker)) {
      if (length < 7 || at + 9 > b.length) return undefined;
      return { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
}

function webpSize(b: Uint8Array): PictureSize | undefined {
  if (b.length < 30 || !ascii(b, 0, 'RIFF') || !ascii(b, 8, 'WEBP')) return undefined;
  if (ascii(b, 12, 'VP8 ')) {
    // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (ascii(b, 12, 'VP8L')) {
    // Lossless: signature 0x2f, then width − 1 and height − 1 in 14 bits each.
    if (b[20] !== 0x2f) return undefined;
    const bits = u32le(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, 'VP8X')) {
    // Extended: 4 bytes of flags, then canvas width − 1 and height − 1 in 24 bits each.
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  return undefined;
}

const READERS: Record<BlobType, (bytes: Uint8Array) => PictureSize | undefined> = {
  'image/png': pngSize,
  'image/jpeg': jpegSize,
  'image/webp': webpSize,
};

/** The width and height a picture of `type` says it has, or undefined when its bytes are not that type of picture. */
export function pictureSize(bytes: Uint8Array, type: BlobType): PictureSize | undefined {
  return READERS[type](bytes);
}

/** Why a picture of this size is refused, in plain words, or undefined when it is fine. */
export function pictureSizeProblem(size: PictureSize): string | undefined {
  const { pictureMaxSide: side, pictureMaxPixels: pixels } = LIMITS;
  if (size.width < 1 || size.height < 1) return 'The picture says it has no width or no height.';
  if (size.width > side || size.height > side || size.width * size.height > pixels) {
    return (
      `The picture is ${size.width} × ${size.height} pixels. ` +
      `Pictures may be at most ${side} pixels wide and high and ${pixels / 1_000_000} megapixels in all. Make it smaller.`
    );
  }
  return undefined;
}
