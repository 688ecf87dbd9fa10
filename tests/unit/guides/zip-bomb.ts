// Test support: a DEFLATE bomb made by hand and a one-file zip whose directory says what the test wants (issue 12.6).
import { strToU8 } from 'fflate';

export const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, at), (at += part.length);
  return out;
};

/**
 * A raw DEFLATE stream as a bomb is made: one dynamic-Huffman block whose only codes are a literal 0, "copy 258 bytes
 * from 1 back" (two bits in all) and the end, so every 8 KB of it inflates to about 1 MiB of zeros.
 */
export function bombStream(copies: number): Uint8Array {
  const bits: number[] = [];
  const put = (value: number, count: number) => {
    for (let i = 0; i < count; i += 1) bits.push((value >> i) & 1); // numbers: least significant bit first
  };
  const code = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i -= 1) bits.push((value >> i) & 1); // Huffman codes: most significant bit first
  };
  put(1, 1), put(2, 2); // the final block, dynamic Huffman codes
  put(29, 5), put(0, 5), put(14, 4); // 286 literal/length codes, 1 distance code, 18 code-length codes
  const codeLengthBits: Record<number, number> = { 18: 1, 1: 2, 2: 2 };
  for (const symbol of [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]) put(codeLengthBits[symbol] ?? 0, 3);
  const unused = (count: number) => (code(0, 1), put(count - 11, 7)); // code-length symbol 18: `count` unused codes
  code(3, 2), unused(138), unused(117); // literal 0 has a 2-bit code; literals 1–255 none
  code(3, 2), unused(28); // the end of the block has a 2-bit code; lengths 3–257 none
  code(2, 2); // length 258 has a 1-bit code
  code(2, 2); // distance 1 has a 1-bit code
  code(2, 2); // the literal 0 ("10"); then each copy is "0" + "0", so the rest is zero bits
  const total = bits.length + 2 * copies + 2;
  const out = new Uint8Array(Math.ceil(total / 8));
  bits.forEach((bit, i) => {
    out[i >> 3]! |= bit << (i & 7);
  });
  for (const i of [total - 2, total - 1]) out[i >> 3]! |= 1 << (i & 7); // the end of the block ("11")
  return out;
}

/** A zip of one deflated file whose directory (and local header) declares `declaredSize` bytes. */
export function zipOfOne(name: string, data: Uint8Array, declaredSize: number): Uint8Array {
  const nameBytes = strToU8(name);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 20, true);
  local.setUint16(8, 8, true);
  local.setUint32(18, data.length, true);
  local.setUint32(22, declaredSize, true);
  local.setUint16(26, nameBytes.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(10, 8, true);
  central.setUint32(20, data.length, true);
  central.setUint32(24, declaredSize, true);
  central.setUint16(28, nameBytes.length, true);
  const directoryAt = 30 + nameBytes.length + data.length;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, 46 + nameBytes.length, true);
  end.setUint32(16, directoryAt, true);
  return concat([new Uint8Array(local.buffer), nameBytes, data, new Uint8Array(central.buffer), nameBytes, new Uint8Array(end.buffer)]);
}
