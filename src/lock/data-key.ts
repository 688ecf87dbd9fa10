// Owns the tablet data key: one random AES-256-GCM key per tablet that encrypts what instructors write about sessions
// (the notes) at rest. It is stored only wrapped — once per profile, under a key derived from that profile's PIN
// (PBKDF2 as in pin.ts, then HKDF) — and held in memory only while the instructor area is unlocked; locking forgets
// it. The right PIN is the one whose wrapping key opens the wrapped copy (AES-GCM's tag checks it), so a profile
// stores no PIN hash at all. Small pure-ish functions over WebCrypto; the profiles module decides when to call them.
import { LOCAL_NOTE_PREFIX } from '../protocol/sealed-note';
import { fromBase64, randomBytes, toBase64, utf8 } from './encoding';

/** A note stored on this tablet: enc:v1:<iv>:<ciphertext + tag>, base64. Never sent (the server refuses it). */
export const LOCAL_PREFIX = LOCAL_NOTE_PREFIX;
const WRAP_INFO = utf8('digituki data key wrap v1');
const IV_BYTES = 12;

let held: CryptoKey | undefined;

/** The data key while the instructor area is unlocked; undefined when locked. */
export function dataKey(): CryptoKey | undefined {
  return held;
}

export function holdDataKey(key: CryptoKey): void {
  held = key;
}

/** Locking, handing over and wiping forget the key: only a PIN brings it back. */
export function forgetDataKey(): void {
  held = undefined;
}

/** A fresh random data key (extractable only so it can be wrapped for another profile). */
export function newDataKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

/** The key that wraps the data key for one profile: HKDF over the PIN's PBKDF2 output (pin.ts derivePinBits). */
export async function wrappingKey(pinBits: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', pinBits, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: WRAP_INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** The data key wrapped under a profile's wrapping key: "<iv>:<wrapped>", base64. */
export async function wrapDataKey(key: CryptoKey, wrapping: CryptoKey): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const wrapped = new Uint8Array(await crypto.subtle.wrapKey('raw', key, wrapping, { name: 'AES-GCM', iv }));
  return `${toBase64(iv)}:${toBase64(wrapped)}`;
}

/** The data key, or undefined when this wrapping key (this PIN) does not open the wrapped copy. Never throws. */
export async function unwrapDataKey(wrapped: string, wrapping: CryptoKey): Promise<CryptoKey | undefined> {
  const [iv, body] = wrapped.split(':');
  try {
    return await crypto.subtle.unwrapKey(
      'raw',
      fromBase64(body ?? ''),
      wrapping,
      { name: 'AES-GCM', iv: fromBase64(iv ?? '') },
      { name: 'AES-GCM', length: 256 },
      true,
      ['encrypt', 'decrypt'],
    );
  } catch {
    return undefined;
  }
}

export function isLocalCiphertext(value: unknown): value is `enc:v1:${string}` {
  return typeof value === 'string' && value.startsWith(LOCAL_PREFIX);
}

/** Encrypts a text under the data key for storing on this tablet. */
export async function encryptLocal(text: string, key: CryptoKey): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8(LOCAL_PREFIX) }, key, utf8(text)));
  return `${LOCAL_PREFIX}${toBase64(iv)}:${toBase64(body)}`;
}

/** Opens a text stored under the data key; undefined with another key or a damaged value. Never throws. */
export async function decryptLocal(value: string, key: CryptoKey): Promise<string | undefined> {
  if (!isLocalCiphertext(value)) return undefined;
  const [iv, body] = value.slice(LOCAL_PREFIX.length).split(':');
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv ?? ''), additionalData: utf8(LOCAL_PREFIX) }, key, fromBase64(body ?? ''));
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return undefined;
  }
}
