// Owns how an instructor's PIN is turned into what the tablet stores: PBKDF2-SHA256 through WebCrypto with a
// per-profile random salt. The PIN itself is never stored, logged or synced. Profiles made since issue 13 keep no hash
// either: the PIN's PBKDF2 output becomes the key that wraps the tablet data key (data-key.ts); the hash functions
// here remain for profiles made before, until their first unlock.
import { fromBase64, randomBytes, toBase64, utf8 } from './encoding';

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; a cheap tablet derives it in well under a second. */
export const PIN_ITERATIONS = 310_000;
export const PIN_HASH = 'SHA-256';
export const PIN_SALT_BYTES = 16;
export const PIN_HASH_BITS = 256;
export const PIN_MIN_DIGITS = 6;
const PIN_MAX_DIGITS = 12;

export interface PinHash {
  pinHash: string; // base64
  salt: string; // base64
  iterations: number;
  /** How many digits the PIN has, so the PIN screen can try it as soon as the last digit is tapped. */
  pinDigits?: number;
}

export type PinProblem = 'pinShort' | 'pinDigits' | 'pinTrivial' | 'passcodeShort' | 'passcodeMix';

/** The site admin's longer passcode (issue 13 item 5): letters and digits, at least this long (cost: README, Privacy). */
export const PASSCODE_MIN_LENGTH = 10;
export const PASSCODE_MAX_LENGTH = 64;

/** Why a passcode is not acceptable, or undefined when it is: 10–64 characters with at least one letter and one digit. */
export function passcodeProblem(passcode: string): PinProblem | undefined {
  const length = [...passcode].length;
  if (length < PASSCODE_MIN_LENGTH || length > PASSCODE_MAX_LENGTH) return 'passcodeShort';
  if (!/\p{L}/u.test(passcode) || !/\p{Nd}/u.test(passcode)) return 'passcodeMix';
  return undefined;
}

/** What opens a profile: a PIN of digits, or (site admins) a longer passcode. */
export type SecretKind = 'pin' | 'passcode';

export function secretProblem(secret: string, kind: SecretKind): PinProblem | undefined {
  return kind === 'passcode' ? passcodeProblem(secret) : pinProblem(secret);
}

/** A PIN anyone would try first: one digit repeated, a straight run up or down, or a short block repeated (121212). */
export function isTrivialPin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((digit, i) => (digit - digits[i]! + 10) % 10);
  if (steps.every((step) => step === steps[0]) && (steps[0] === 0 || steps[0] === 1 || steps[0] === 9)) return true;
  return [2, 3].some((size) => pin.length % size === 0 && pin === pin.slice(0, size).repeat(pin.length / size));
}

/** Why a new PIN is not acceptable, or undefined when it is. */
export function pinProblem(pin: string): PinProblem | undefined {
  if (!/^\d*$/.test(pin)) return 'pinDigits';
  if (pin.length < PIN_MIN_DIGITS || pin.length > PIN_MAX_DIGITS) return 'pinShort';
  if (isTrivialPin(pin)) return 'pinTrivial';
  return undefined;
}

/** The PIN's PBKDF2 output with a profile's salt and count: what its data-key wrapping key is made from (data-key.ts). */
export function derivePinBits(pin: string, stored: { salt: string; iterations: number }): Promise<Uint8Array<ArrayBuffer>> {
  return derive(pin, fromBase64(stored.salt), stored.iterations);
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', utf8(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: PIN_HASH, salt, iterations }, key, PIN_HASH_BITS);
  return new Uint8Array(bits);
}

/** A new hash with a fresh random salt. `iterations` is lowered only by unit tests that are not about the KDF. */
export async function hashPin(pin: string, iterations = PIN_ITERATIONS): Promise<PinHash> {
  const salt = randomBytes(PIN_SALT_BYTES);
  return { pinHash: toBase64(await derive(pin, salt, iterations)), salt: toBase64(salt), iterations, pinDigits: pin.length };
}

/** Recomputes with the stored salt and iterations and compares without an early exit. */
export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  const expected = fromBase64(stored.pinHash);
  const actual = await derive(pin, fromBase64(stored.salt), stored.iterations);
  if (actual.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < actual.length; i += 1) difference |= actual[i]! ^ expected[i]!;
  return difference === 0;
}
