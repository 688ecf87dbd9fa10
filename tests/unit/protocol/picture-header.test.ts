// A picture's width and height read from its header alone, for every format and kind the server takes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, pictureSize, pictureSizeProblem } from '../../../src/protocol';
import { jpeg, png, webp } from '../../server/support/pictures';

const side = (max: number) => fc.integer({ min: 1, max });

describe('pictureSize', () => {
  it('reads back the width and height each kind of header was made with', () => {
    fc.assert(
      fc.property(side(20_000), side(20_000), (width, height) => {
        expect(pictureSize(jpeg(width, height, 200), 'image/jpeg')).toEqual({ width, height });
        expect(pictureSize(webp('VP8X', width, height, 200), 'image/webp')).toEqual({ width, height });
      }),
    );
    fc.assert(
      fc.property(side(16_383), side(16_383), (width, height) => {
        expect(pictureSize(webp('VP8 ', width, height, 200), 'image/webp')).toEqual({ width, height });
        expect(pictureSize(webp('VP8L', width, height, 200), 'image/webp')).toEqual({ width, height });
      }),
    );
    fc.assert(
      fc.property(side(3000), side(300), (width, height) => {
        expect(pictureSize(png(width, height), 'image/png')).toEqual({ width, height });
      }),
      { numRuns: 30 },
    );
  });

  it('finds the frame header of a JPEG after any other segments', () => {
    const withExif = jpeg(1600, 1200, 300);
    const exif = [0xff, 0xe1, 0x00, 0x08, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
    const bytes = new Uint8Array([...withExif.subarray(0, 2), ...exif, 0xff, 0xff, ...withExif.subarray(2)]); // a fill byte too
    expect(pictureSize(bytes, 'image/jpeg')).toEqual({ width: 1600, height: 1200 });
  });

  it('says "not this type" for a cut-off header, another type, or random bytes, and never throws', () => {
    const pictures = [png(10, 10), jpeg(10, 10, 60), webp('VP8 ', 10, 10, 60), webp('VP8L', 10, 10, 60), webp('VP8X', 10, 10, 60)];
    const types = ['image/png', 'image/jpeg', 'image/webp', 'image/webp', 'image/webp'] as const;
    pictures.forEach((bytes, i) => {
      const cut = types[i] === 'image/jpeg' ? 20 : types[i] === 'image/png' ? 32 : 29;
      expect(pictureSize(bytes.subarray(0, cut), types[i]!), types[i]).toBeUndefined();
      for (const other of ['image/png', 'image/jpeg', 'image/webp'] as const) if (other !== types[i]) expect(pictureSize(bytes, other)).toBeUndefined();
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('image/png', 'image/jpeg', 'image/webp'), (bytes, type) => {
        const size = pictureSize(bytes, type);
        if (size) expect(Number.isInteger(size.width) && Number.isInteger(size.height)).toBe(true);
      }),
    );
  });
});

describe('pictureSizeProblem', () => {
  it('allows at most 4096 pixels a side and 16 megapixels, and says the size in plain words', () => {
    fc.assert(
      fc.property(fc.nat(20_000), fc.nat(20_000), (width, height) => {
        const fine =
          width >= 1 && height >= 1 && width <= LIMITS.pictureMaxSide && height <= LIMITS.pictureMaxSide && width * height <= LIMITS.pictureMaxPixels;
        expect(pictureSizeProblem({ width, height }) === undefined).toBe(fine);
      }),
    );
    expect(pictureSizeProblem({ width: 14_000, height: 14_000 })).toBe(
      'The picture is 14000 × 14000 pixels. Pictures may be at most 4096 pixels wide and high and 16 megapixels in all. Make it smaller.',
    );
  });
});
