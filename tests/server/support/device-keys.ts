// Test support: a protocol v2 tablet as the server sees it — a WebCrypto ECDSA P-256 key pair (Node's own WebCrypto,
// the same API the tablet uses), enrolment with its public key, and access tokens earned by signing nonces.
import type { Hono } from 'hono';
import { base64url, proofText, type EnrolResponse, type TokenResponse } from '../../../src/protocol';
import { headers } from './world';

export interface DeviceKeys {
  publicKey: JsonWebKey;
  sign(text: string): Promise<string>;
}

export async function deviceKeys(): Promise<DeviceKeys> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  return {
    publicKey: await crypto.subtle.exportKey('jwk', pair.publicKey),
    async sign(text) {
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(text));
      return base64url(new Uint8Array(signature));
    },
  };
}

const json = (body: unknown, token?: string): RequestInit => ({
  method: 'POST',
  headers: headers(token, { 'Content-Type': 'application/json' }),
  body: JSON.stringify(body),
});

export async function enrolWithKey(
  app: Hono,
  code: string,
  keys: DeviceKeys,
  deviceName = 'Olohuone tablet',
): Promise<{ status: number; body: EnrolResponse }> {
  const response = await app.request('/v1/enrol', json({ code, deviceName, publicKey: keys.publicKey }));
  return { status: response.status, body: (await response.json()) as EnrolResponse };
}

export async function challenge(app: Hono, deviceId: string): Promise<{ status: number; nonce: string }> {
  const response = await app.request('/v1/auth/challenge', json({ deviceId }));
  const body = (await response.json()) as { nonce?: string };
  return { status: response.status, nonce: body.nonce ?? '' };
}

export async function exchange(
  app: Hono,
  deviceId: string,
  nonce: string,
  signature: string,
): Promise<{ status: number; body: TokenResponse & { error?: string; wipe?: boolean } }> {
  const response = await app.request('/v1/auth/token', json({ deviceId, nonce, signature }));
  return { status: response.status, body: (await response.json()) as never };
}

/** The whole dance: a nonce, its signature, an access token. */
export async function signIn(app: Hono, deviceId: string, keys: DeviceKeys): Promise<string> {
  const { status, nonce } = await challenge(app, deviceId);
  if (status !== 200) throw new Error(`challenge failed: ${status}`);
  const answer = await exchange(app, deviceId, nonce, await keys.sign(proofText(deviceId, nonce)));
  if (answer.status !== 200) throw new Error(`token failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.accessToken;
}

export { json as postJson };
