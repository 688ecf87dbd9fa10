// Owns protocol v2's device credential (README: "Device keys and access tokens"): the shape of a device's public key,
// the text a device signs, and the bodies of the challenge, token and bind requests. Pure: the tablet signs with
// WebCrypto, the server checks with node:crypto, both from these definitions.
import * as z from 'zod/mini';

/** An ECDSA P-256 public key as JWK: only the parts that name the key (WebCrypto adds `ext` and `key_ops`, allowed). */
export const devicePublicKey = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  // 32-byte coordinates in base64url without padding: 43 characters.
  x: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  y: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
});
export type DevicePublicKey = z.infer<typeof devicePublicKey>;

/** The key as the server stores and compares it: these four members, in this order. */
export function canonicalPublicKey(key: DevicePublicKey): string {
  return JSON.stringify({ kty: key.kty, crv: key.crv, x: key.x, y: key.y });
}

/** A nonce is 32 random bytes in base64url (43 characters), valid for AUTH_LIMITS.challengeMs and for one use. */
const nonce = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/));
const deviceId = z.string().check(z.regex(/^[0-9a-f-]{36}$/));

export const AUTH_LIMITS = {
  /** How long a nonce may be signed and exchanged. */
  challengeMs: 60_000,
  /** How long an access token works; the tablet then signs a new nonce. */
  accessTokenMs: 10 * 60_000,
  /** Largest body of the auth requests, in bytes. */
  bodyBytes: 2 * 1024,
} as const;

// --- POST /v1/auth/challenge ------------------------------------------------------------------------------------
export const challengeRequest = z.strictObject({ deviceId });
export interface ChallengeResponse {
  nonce: string;
  expiresAt: number;
}

// --- POST /v1/auth/token ----------------------------------------------------------------------------------------
export const tokenRequest = z.strictObject({
  deviceId,
  nonce,
  /** ECDSA P-256 with SHA-256 over `proofText(deviceId, nonce)`, as WebCrypto gives it (r‖s, 64 bytes), base64url. */
  signature: z.string().check(z.regex(/^[A-Za-z0-9_-]{86}$/)),
});
export type TokenRequest = z.infer<typeof tokenRequest>;
export interface TokenResponse {
  /** Send as `Authorization: Bearer <accessToken>` until `expiresAt` (server time); keep it in memory only. */
  accessToken: string;
  expiresAt: number;
}

// --- POST /v1/auth/bind (a v1 device, with its bearer token) -----------------------------------------------------
export const bindRequest = z.strictObject({ publicKey: devicePublicKey });

/** What a device signs: a fixed label (so the signature means nothing elsewhere), its id and the server's nonce. */
export function proofText(forDevice: string, withNonce: string): string {
  return `digituki-device-proof-v2\n${forDevice}\n${withNonce}`;
}

/** An access token: "at.<deviceId>.<secret>"; never a v1 bearer token's shape, so the server knows which it got. */
export function readAccessToken(token: string): { deviceId: string; secret: string } | undefined {
  const match = /^at\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { deviceId: match[1]!, secret: match[2]! } : undefined;
}

/** Bytes as base64url without padding (both sides: the tablet encodes its signature, the server its nonces). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
