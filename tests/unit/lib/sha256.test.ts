import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/lib/sha256';

describe('sha256Hex', () => {
  it('names bytes by their SHA-256 in lowercase hex, as Node computes it, from bytes or an ArrayBuffer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (bytes) => {
        const expected = createHash('sha256').update(bytes).digest('hex');
        expect(await sha256Hex(bytes)).toBe(expected);
        expect(await sha256Hex(bytes.slice().buffer)).toBe(expected);
      }),
    );
    expect(await sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
