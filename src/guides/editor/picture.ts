// Owns turning a photo or file into a guide picture in the browser: turned upright by its EXIF orientation,
// at most 1600 px on its longest side, WebP if the browser can encode it (else JPEG), about 300 KB at most.
// Drawing onto a canvas and encoding again leaves every piece of metadata behind (EXIF, GPS location, camera).
import type { BlobType } from '../../protocol';

export const MAX_SIDE_PX = 1600;
export const TARGET_BYTES = 300_000;
/** Tried from best to worst until the picture fits TARGET_BYTES. */
export const QUALITIES = [0.86, 0.78, 0.7, 0.62, 0.54, 0.46] as const;
/** When even the lowest quality is too big, the picture shrinks by this much and tries again, down to MIN_SIDE_PX. */
const SHRINK = 0.75;
const MIN_SIDE_PX = 480;

/** The size a picture is drawn at: the longest side at most `max`, proportions kept, never enlarged. */
export function fitWithin(width: number, height: number, max = MAX_SIDE_PX): { width: number; height: number } {
  if (!(width > 0) || !(height > 0)) throw new RangeError('A picture needs a width and a height.');
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The encoding to use: the first of the sizes tried that fits, or the last (smallest) one. */
export function firstThatFits<T extends { size: number }>(tries: readonly T[], limit = TARGET_BYTES): T | undefined {
  return tries.find((attempt) => attempt.size <= limit) ?? tries.at(-1);
}

export class NotAPicture extends Error {
  constructor() {
    super('This file is not a picture the browser can open.');
  }
}

interface Decoded {
  source: CanvasImageSource;
  width: number;
  height: number;
  close(): void;
}

async function decode(file: Blob): Promise<Decoded> {
  try {
    // 'from-image' turns a phone photo upright by its EXIF orientation before anything else.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
  } catch {
    // SVG (a built-in guide's picture) cannot become an ImageBitmap from a Blob; an <img> can draw it.
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch {
      URL.revokeObjectURL(url);
      throw new NotAPicture();
    }
    return { source: image, width: image.naturalWidth || 800, height: image.naturalHeight || 600, close: () => URL.revokeObjectURL(url) };
  }
}

function encode(canvas: HTMLCanvasElement, type: BlobType, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

let webpSupported: boolean | undefined;
async function outputType(): Promise<BlobType> {
  if (webpSupported === undefined) {
    const probe = document.createElement('canvas');
    probe.width = probe.height = 1;
    // A browser without a WebP encoder quietly answers with PNG instead.
    webpSupported = (await encode(probe, 'image/webp', 0.8))?.type === 'image/webp';
  }
  return webpSupported ? 'image/webp' : 'image/jpeg';
}

/** Decodes, turns upright, downscales and re-encodes a picture; the result carries no metadata. */
export async function preparePicture(file: Blob): Promise<{ bytes: Uint8Array; type: BlobType; width: number; height: number }> {
  const decoded = await decode(file);
  try {
    const type = await outputType();
    let size = fitWithin(decoded.width, decoded.height);
    for (;;) {
      const canvas = document.createElement('canvas');
      canvas.width = size.width;
      canvas.height = size.height;
      const context = canvas.getContext('2d');
      if (!context) throw new NotAPicture();
      // White under transparent parts: JPEG has no transparency, and the step card is white anyway.
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, size.width, size.height);
      context.imageSmoothingQuality = 'high';
      context.drawImage(decoded.source, 0, 0, size.width, size.height);
      const tries: Blob[] = [];
      for (const quality of QUALITIES) {
        const blob = await encode(canvas, type, quality);
        if (!blob) throw new NotAPicture();
        tries.push(blob);
        if (blob.size <= TARGET_BYTES) break;
      }
      const chosen = firstThatFits(tries)!;
      const longest = Math.max(size.width, size.height);
      if (chosen.size <= TARGET_BYTES || longest <= MIN_SIDE_PX) {
        return { bytes: new Uint8Array(await chosen.arrayBuffer()), type, width: size.width, height: size.height };
      }
      size = fitWithin(size.width, size.height, Math.max(MIN_SIDE_PX, Math.round(longest * SHRINK)));
    }
  } finally {
    decoded.close();
  }
}
