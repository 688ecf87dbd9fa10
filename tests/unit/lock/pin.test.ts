import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/lock/encoding';
import { hashPin, PIN_HASH, PIN_ITERATIONS, PIN_MIN_DIGITS, PIN_SALT_BYTES, pinProblem, verifyPin } from '../../../src/lock/pin';

const FAST = 1_000; // these tests are about hashing, not about its cost; the real count is checked separately

describe('the PIN hash parameters', () => {
  it('are PBKDF2 with SHA-256, at least 100,000 iterations and a 16-byte salt', () => {
    expect(PIN_HASH).toBe('SHA-256');
    expect(PIN_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    expect(PIN_SALT_BYTES).toBeGreaterThanOrEqual(16);
    expect(PIN_MIN_DIGITS).toBeGreaterThanOrEqual(6);
  });

  it('a new hash uses the real iteration count by default and matches WebCrypto PBKDF2-SHA256 computed independently', async () => {
    const stored = await hashPin('246810');
    expect(stored.iterations).toBe(PIN_ITERATIONS);
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('246810'), 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(stored.salt), iterations: PIN_ITERATIONS }, key, 256);
    expect(fromBase64(stored.pinHash)).toEqual(new Uint8Array(bits));
  });
});

describe('hashing and checking a PIN', () => {
  it('accepts the right PIN and refuses a wrong one', async () => {
    const stored = await hashPin('135790', FAST);
    expect(await verifyPin('135790', stored)).toBe(true);
    expect(await verifyPin('135791', stored)).toBe(false);
    expect(await verifyPin('', stored)).toBe(false);
  });

  it('gives each profile its own random salt, so the same PIN never hashes the same', async () => {
    const a = await hashPin('111111', FAST);
    const b = await hashPin('111111', FAST);
    expect(fromBase64(a.salt)).toHaveLength(PIN_SALT_BYTES);
    expect(a.salt).not.toBe(b.salt);
    expect(a.pinHash).not.toBe(b.pinHash);
  });

  it('stores nothing from which the PIN can be read', async () => {
    const stored = await hashPin('987654', FAST);
    const text = JSON.stringify(stored);
    expect(text).not.toContain('987654');
    expect(Object.keys(stored).sort()).toEqual(['iterations', 'pinDigits', 'pinHash', 'salt']);
    expect(stored.pinDigits).toBe(6); // its length only, so the PIN screen can open on the last digit
  });

  it('asks for at least six digits and digits only', () => {
    expect(pinProblem('12345')).toBe('pinShort');
    expect(pinProblem('12345a')).toBe('pinDigits');
    expect(pinProblem('582947')).toBeUndefined();
  });
});

describe('a trivial PIN', () => {
  it('is refused: one digit repeated, a straight run up or down, a short block repeated', () => {
    for (const pin of ['000000', '111111', '999999', '123456', '654321', '012345', '789012', '1234567890', '121212', '123123', '909090'])
      expect(pinProblem(pin), pin).toBe('pinTrivial');
    for (const pin of ['582947', '271828', '314159', '246810', '482913', '112233']) expect(pinProblem(pin), pin).toBeUndefined();
  });
  it('is never a PIN with three different gaps between its digits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 12 }), (digits) => {
        const pin = digits.join('');
        const gaps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
        if (gaps.size >= 3 && !/^(\d\d)\1+$|^(\d\d\d)\2+$/.test(pin)) expect(pinProblem(pin)).toBeUndefined();
      }),
    );
  });
});
