// Owns how a tablet gets and proves its credential: enrolment with a one-time code, and protocol v2's device key
// (a nonce to sign, a short-lived access token for the signature, and the one-time bind of a v1 tablet's key).
import { Hono } from 'hono';
import {
  AUTH_LIMITS,
  LIMITS,
  bindRequest,
  challengeRequest,
  enrolRequest,
  tokenRequest,
  type ChallengeResponse,
  type EnrolResponse,
  type TokenResponse,
} from '../../protocol';
import type { BindResponse } from '../../protocol/responses';
import { enrolmentCodeHash, issueAccessToken, issueDeviceToken, newNonce, nonceHash, storablePublicKey, verifyDeviceProof } from '../credentials';
import { orgNotePublicKey } from '../sync/sealed-notes';
import type { Gates, RouteContext } from './context';
import { fail, jsonOnly, requireProtocol, validBody, type Env } from './edge';

export function authRoutes(context: RouteContext, gates: Gates): Hono<Env> {
  const { store, now, clientAddress, enrolLimiter, enrolCodeLimiter } = context;
  const routes = new Hono<Env>();

  routes.post(
    '/enrol',
    requireProtocol,
    jsonOnly(LIMITS.enrolBodyBytes),
    async (c, next) => {
      const allowed = enrolLimiter.take(clientAddress(c), now());
      if (allowed.allowed) return next();
      c.header('Retry-After', String(allowed.retryAfterSeconds));
      return fail(c, 429, 'rate_limited', 'Too many enrolment attempts. Wait a moment and try again.');
    },
    validBody(enrolRequest, 'The enrolment request'),
    async (c) => {
      const request = c.req.valid('json');
      // Per code as well as per address: rotating addresses does not buy more tries at one code.
      const codeHash = enrolmentCodeHash(request.code);
      const codeAllowed = enrolCodeLimiter.take(codeHash, now());
      if (!codeAllowed.allowed) {
        c.header('Retry-After', String(codeAllowed.retryAfterSeconds));
        return fail(c, 429, 'rate_limited', `Too many attempts with this code. Wait ${codeAllowed.retryAfterSeconds} s and try again.`);
      }
      // Protocol v2: a tablet that sends its public key is bound to it and gets no bearer token to lose.
      const publicKey = request.publicKey ? storablePublicKey(request.publicKey) : null;
      if (publicKey === undefined) return fail(c, 400, 'bad_request', 'The public key is not an ECDSA P-256 key.');
      const issued = issueDeviceToken();
      const at = now();
      const device = await store.enrolDevice(
        codeHash,
        {
          id: issued.deviceId,
          name: request.deviceName.trim(),
          tokenHash: publicKey ? '' : issued.tokenHash,
          createdAt: at,
          lastSeenAt: at,
          revokedAt: null,
          wipe: false,
          lastMutationId: 0,
          publicKey,
        },
        at,
      );
      if (!device) return fail(c, 400, 'code_invalid', 'This enrolment code is unknown, already used or expired. Ask your administrator for a new one.');
      c.set('device', device);
      const [organisation, site] = await Promise.all([store.findOrganisation(device.orgId), store.findSite(device.siteId)]);
      const orgNoteKey = await orgNotePublicKey(store, device.orgId, at);
      const response: EnrolResponse = {
        deviceId: device.id,
        ...(publicKey ? {} : { token: issued.token }),
        orgId: device.orgId,
        siteId: device.siteId,
        orgName: organisation?.name ?? '',
        siteName: site?.name ?? '',
        orgNoteKey,
      };
      return c.json(response, 201);
    },
  );

  // Protocol v2 (README: "Device keys and access tokens"): a nonce to sign, then a short-lived access token for the
  // signature. Both answer 401 alike for an unknown device, one without a key, a used or expired nonce and a wrong
  // signature, and count against the address like a wrong token.
  const unlessTooManyFailures = async (c: Parameters<Gates['tooManyFailures']>[0], next: () => Promise<void>) => gates.tooManyFailures(c) ?? next();

  routes.post(
    '/auth/challenge',
    requireProtocol,
    jsonOnly(AUTH_LIMITS.bodyBytes),
    unlessTooManyFailures,
    validBody(challengeRequest, 'The challenge request'),
    async (c) => {
      const device = await store.findDevice(c.req.valid('json').deviceId);
      if (!device?.publicKey) return gates.refuseCredential(c);
      const tooMany = gates.tooManyFromDevice(c, device);
      if (tooMany) return tooMany;
      const { nonce, nonceHash: hash } = newNonce();
      const expiresAt = now() + AUTH_LIMITS.challengeMs;
      await store.createChallenge(device.id, hash, expiresAt);
      return c.json({ nonce, expiresAt } satisfies ChallengeResponse);
    },
  );

  routes.post(
    '/auth/token',
    requireProtocol,
    jsonOnly(AUTH_LIMITS.bodyBytes),
    unlessTooManyFailures,
    validBody(tokenRequest, 'The token request'),
    async (c) => {
      const { deviceId, nonce, signature } = c.req.valid('json');
      const device = await store.findDevice(deviceId);
      // The nonce is used up before the signature is checked: each nonce gets one try.
      const fresh = device?.publicKey ? await store.takeChallenge(device.id, nonceHash(nonce), now()) : false;
      if (!device?.publicKey || !fresh || !verifyDeviceProof(device.publicKey, device.id, nonce, signature)) return gates.refuseCredential(c);
      c.set('device', device);
      if (device.revokedAt !== null) return gates.refuseRevoked(c, device);
      const issued = issueAccessToken(device.id);
      const expiresAt = now() + AUTH_LIMITS.accessTokenMs;
      await store.createAccessToken(device.id, issued.tokenHash, expiresAt);
      return c.json({ accessToken: issued.token, expiresAt } satisfies TokenResponse);
    },
  );

  // A v1 tablet that was updated binds a key once, with its bearer token; that token is refused from then on.
  routes.post('/auth/bind', requireProtocol, gates.requireDevice, jsonOnly(AUTH_LIMITS.bodyBytes), validBody(bindRequest, 'The bind request'), async (c) => {
    const publicKey = storablePublicKey(c.req.valid('json').publicKey);
    if (!publicKey) return fail(c, 400, 'bad_request', 'The public key is not an ECDSA P-256 key.');
    if (!(await store.bindDeviceKey(c.get('device').id, publicKey))) return fail(c, 400, 'bad_request', 'This tablet already has a key: it signs in with it.');
    return c.json({ deviceId: c.get('device').id, bound: true } satisfies BindResponse);
  });

  return routes;
}
