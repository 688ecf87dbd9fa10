// Owns the tablet's device key pair with WebCrypto (README: "Device keys and access tokens"): making it with a
// non-extractable private key, and signing the server's nonces. Storage is src/db (the CryptoKey objects themselves).
import { base64url, proofText } from '../protocol';
import type { DeviceKey } from '../db/sync';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** WebCrypto is there only in a secure context (https, or localhost); without it a tablet enrols as protocol 1. */
export function deviceKeysAvailable(): boolean {
  return typeof globalThis.crypto?.subtle?.generateKey === 'function';
}

/** A new key pair for `deviceId` (the id may come later: enrolment learns it from the answer). */
export async function newDeviceKey(deviceId = ''): Promise<DeviceKey> {
  // extractable false: the private key's bytes never leave WebCrypto, not even to this app.
  const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const publicKey: JsonWebKey = { kty: exported.kty, crv: exported.crv, x: exported.x, y: exported.y };
  return { deviceId, privateKey: pair.privateKey, publicKey, bound: false };
}

/** The signature the server checks for a nonce: ECDSA P-256 / SHA-256 over proofText, r‖s in base64url. */
export async function signNonce(key: Pick<DeviceKey, 'privateKey'>, deviceId: string, nonce: string): Promise<string> {
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, new TextEncoder().encode(proofText(deviceId, nonce)));
  return base64url(new Uint8Array(signature));
}
