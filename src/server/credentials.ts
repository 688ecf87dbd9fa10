// Owns device credentials and enrolment codes: how they are made, what is stored of them (a hash), how they are
// checked — v1 bearer tokens, and protocol v2's device public keys, nonces and short-lived access tokens.
import { createHash, createPublicKey, randomBytes, randomUUID, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { base64url, canonicalPublicKey, proofText, type DevicePublicKey } from '../protocol';

/** 32 random bytes = 256 bits: a token cannot be guessed. */
const TOKEN_SECRET_BYTES = 32;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface IssuedToken {
  deviceId: string;
  /** Given to the device once, never stored. */
  token: string;
  /** Stored in place of the token. */
  tokenHash: string;
}

/** A new device id and its bearer token "<deviceId>.<secret>"; the id part lets the server find the device without a search by secret. */
export function issueDeviceToken(): IssuedToken {
  const deviceId = randomUUID();
  const secret = randomBytes(TOKEN_SECRET_BYTES).toString('base64url');
  return { deviceId, token: `${deviceId}.${secret}`, tokenHash: sha256Hex(secret) };
}

/** Splits a bearer token into the device id and the hash of its secret; undefined when it is not shaped like one. */
export function readDeviceToken(token: string): { deviceId: string; secretHash: string } | undefined {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  return { deviceId: match[1]!, secretHash: sha256Hex(match[2]!) };
}

/** Compares two hex hashes in constant time, so response timing tells an attacker nothing about a stored hash. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

// Crockford's base32: no I, L, O or U, so a code read aloud or typed on a tablet is hard to get wrong.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12; // 60 random bits, and a code lives for days at most and is used once

/** A new enrolment code for people to type, e.g. "7KQ2-M9XD-3RFA". */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += CODE_ALPHABET[byte & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** The code as stored: upper case, no spaces or dashes, look-alike letters read as digits. */
export function normaliseEnrolmentCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function enrolmentCodeHash(typed: string): string {
  return sha256Hex(`enrolment-code:${normaliseEnrolmentCode(typed)}`);
}

// --- Protocol v2: device keys, nonces, access tokens -------------------------------------------------------------

/** The key as stored (canonical JWK text), or undefined when it is not a point on P-256. */
export function storablePublicKey(key: DevicePublicKey): string | undefined {
  const text = canonicalPublicKey(key);
  return publicKeyObject(text) ? text : undefined;
}

function publicKeyObject(stored: string): KeyObject | undefined {
  try {
    return createPublicKey({ key: JSON.parse(stored) as DevicePublicKey, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** True when `signature` (r‖s, base64url) is the device's key's ECDSA P-256/SHA-256 signature of its proof text. */
export function verifyDeviceProof(storedKey: string, deviceId: string, nonce: string, signature: string): boolean {
  const key = publicKeyObject(storedKey);
  if (!key) return false;
  try {
    return verify('sha256', Buffer.from(proofText(deviceId, nonce)), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** A nonce to sign (32 random bytes) and the hash stored in its place. */
export function newNonce(): { nonce: string; nonceHash: string } {
  const nonce = base64url(randomBytes(TOKEN_SECRET_BYTES));
  return { nonce, nonceHash: sha256Hex(`nonce:${nonce}`) };
}

export function nonceHash(nonce: string): string {
  return sha256Hex(`nonce:${nonce}`);
}

/** A new access token "at.<deviceId>.<secret>" and the hash stored in its place. */
export function issueAccessToken(deviceId: string): { token: string; tokenHash: string } {
  const secret = randomBytes(TOKEN_SECRET_BYTES).toString('base64url');
  return { token: `at.${deviceId}.${secret}`, tokenHash: accessTokenHash(secret) };
}

export function accessTokenHash(secret: string): string {
  return sha256Hex(`access:${secret}`);
}
