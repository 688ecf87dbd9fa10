// Test support: a console client over app.request() that keeps its cookie like a browser and sends the CSRF token,
// and a software passkey authenticator (P-256, "none" attestation) that answers the server's WebAuthn challenges.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Hono } from 'hono';
import { isoCBOR } from '@simplewebauthn/server/helpers';

export const ORIGIN = 'http://localhost';

export interface ConsoleClient {
  cookie: string | undefined;
  csrf: string | undefined;
  /** A request with the session cookie; state changes carry the CSRF token unless `csrf: false` or another is given. */
  call(
    method: string,
    path: string,
    body?: unknown,
    extra?: { csrf?: string | false; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  login(email: string, password: string): Promise<number>;
}

export function consoleClient(app: Hono): ConsoleClient {
  const client: ConsoleClient = {
    cookie: undefined,
    csrf: undefined,
    async call(method, path, body, extra = {}) {
      const headers: Record<string, string> = { ...(extra.headers ?? {}) };
      if (client.cookie) headers.Cookie = client.cookie;
      if (body !== undefined) headers['Content-Type'] ??= 'application/json';
      const token = extra.csrf === false ? undefined : (extra.csrf ?? client.csrf);
      if (token && method !== 'GET') headers['X-CSRF-Token'] = token;
      const response = await app.request(`${ORIGIN}/console/api${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) {
        const value = /^digituki_console=([^;]*)/.exec(setCookie)?.[1];
        client.cookie = value ? `digituki_console=${value}` : undefined;
      }
      // As bytes: Response.text() would drop a CSV's BOM, which the test wants to see.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) client.csrf = (parsed as { csrfToken: string }).csrfToken;
      return { status: response.status, body: parsed, headers: response.headers, text };
    },
    async login(email, password) {
      return (await client.call('POST', '/login', { email, password })).status;
    },
  };
  return client;
}

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/** One passkey held in software, as a phone or a security key would hold it. */
export class SoftwareAuthenticator {
  private readonly keys: { privateKey: KeyObject; publicKey: KeyObject };
  readonly credentialId = randomBytes(16);
  private counter = 0;
  private userHandle = '';

  constructor(private readonly origin = ORIGIN) {
    this.keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }

  /** The RegistrationResponseJSON for PublicKeyCredentialCreationOptionsJSON. */
  register(options: { challenge: string; rp: { id?: string }; user: { id: string } }): Record<string, unknown> {
    this.userHandle = options.user.id;
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(options.rp.id ?? 'localhost'),
      Buffer.from([0x45]),
      Buffer.alloc(4),
      Buffer.alloc(16),
      idLength,
      this.credentialId,
      Buffer.from(isoCBOR.encode(cose as never)),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** The AuthenticationResponseJSON for PublicKeyCredentialRequestOptionsJSON. */
  authenticate(options: { challenge: string; rpId?: string }, tamper = false): Record<string, unknown> {
    this.counter += 1;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    const authData = Buffer.concat([sha256(options.rpId ?? 'localhost'), Buffer.from([0x05]), count]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: this.origin, crossOrigin: false }));
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.keys.privateKey);
    if (tamper) signature[signature.length - 1] = signature[signature.length - 1]! ^ 1;
    return {
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: this.userHandle },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

/** Registers a passkey made by this authenticator on the client's account: the answer of the verify step. */
export async function registerPasskey(client: ConsoleClient, authenticator: SoftwareAuthenticator) {
  const options = await client.call('POST', '/passkeys/register/options');
  return client.call('POST', '/passkeys/register/verify', {
    challengeId: options.body.challengeId,
    response: authenticator.register(options.body.options),
  });
}
