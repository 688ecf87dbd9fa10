import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteUnit } from '../../../src/lib/bytes';

describe('byteUnit', () => {
  it('reads storage sizes the way a person says them', () => {
    expect(byteUnit(512)).toEqual({ unit: 'bytes', value: 512 });
    expect(byteUnit(1500)).toEqual({ unit: 'kilobytes', value: 1.5 });
    expect(byteUnit(250_000_000)).toEqual({ unit: 'megabytes', value: 250 });
    expect(byteUnit(3_210_000_000)).toEqual({ unit: 'gigabytes', value: 3.2 });
  });

  it('never shows a value of 1000 or more below gigabytes, nor a negative one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 999_000_000_000 }), (bytes) => {
        const { unit, value } = byteUnit(bytes);
        expect(value).toBeGreaterThanOrEqual(0);
        if (unit !== 'gigabytes') expect(value).toBeLessThanOrEqual(1000);
      }),
    );
  });
});
