import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../../src/lib/utf8';

describe('utf8ByteLength', () => {
  it('counts what TextEncoder writes, for any text, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: fc.integer({ min: 0xd700, max: 0xe000 }).map((code) => String.fromCharCode(code)) }),
        (a, b, c) => {
          for (const text of [a, b, c, a + c + b]) expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).byteLength);
        },
      ),
    );
  });

  it('counts Finnish, Cyrillic and emoji as the network does', () => {
    expect(utf8ByteLength('Kela')).toBe(4);
    expect(utf8ByteLength('Ääni')).toBe(6);
    expect(utf8ByteLength('Принтер')).toBe(14);
    expect(utf8ByteLength('👍')).toBe(4);
  });
});
