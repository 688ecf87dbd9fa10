// Protocol v2's device credential on every backend: a tablet bound to a key pair earns short-lived access tokens by
// signing single-use nonces; nothing it stores is a password a copy could use. v1 tablets keep syncing with their
// bearer tokens until they bind a key, and then that token is refused.
import { expect } from 'vitest';
import { AUTH_LIMITS, proofText } from '../../src/protocol';
import { createEnrolmentCode, revokeDevice } from '../../src/server/admin';
import type { Store } from '../../src/server/store';
import { describeEachBackend } from './support/backends';
import { challenge, deviceKeys, enrolWithKey, exchange, postJson, signIn } from './support/device-keys';
import { GUIDE, SESSION, T0, change, headers, makeApp, type World } from './support/world';

const code = async (store: Store, world: World) => (await createEnrolmentCode(store, world.siteA1, 24, T0)).code;
const pull = (world: World, token: string) => world.app.request('/v1/pull', { headers: headers(token) });

describeEachBackend('device keys and access tokens', (_backend, it) => {
  it('enrols with a public key, gives no bearer token, and syncs with access tokens earned by signing', async ({ store, world }) => {
    const keys = await deviceKeys();
    const enrolled = await enrolWithKey(world.app, await code(store, world), keys);
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).not.toHaveProperty('token');
    expect((await store.findDevice(enrolled.body.deviceId))!.publicKey).toContain('"crv":"P-256"');

    const token = await signIn(world.app, enrolled.body.deviceId, keys);
    expect(token).toMatch(/^at\./);
    const pushed = await world.app.request(
      '/v1/push',
      postJson({ mutations: [{ mutationId: 1, table: 'sessions', id: 'log1', hlc: '001767000000000-0000-tablet', fields: SESSION }] }, token),
    );
    expect(pushed.status).toBe(200);
    expect((await pull(world, token)).status).toBe(200);
    // Access tokens are kept as hashes only.
    expect(JSON.stringify(await store.recordsOfOrganisation(world.orgA))).not.toContain(token);
  });

  it('refuses a wrong signature, a nonce used twice, another device’s nonce and an expired nonce or token (401)', async ({ store, world, clock }) => {
    const keys = await deviceKeys();
    const other = await deviceKeys();
    const { deviceId } = (await enrolWithKey(world.app, await code(store, world), keys)).body;
    const second = (await enrolWithKey(world.app, await code(store, world), other)).body.deviceId;

    // Signed by another key: refused, and the nonce is used up by the try.
    const first = await challenge(world.app, deviceId);
    expect((await exchange(world.app, deviceId, first.nonce, await other.sign(proofText(deviceId, first.nonce)))).status).toBe(401);
    expect((await exchange(world.app, deviceId, first.nonce, await keys.sign(proofText(deviceId, first.nonce)))).status).toBe(401);

    // A right signature works once.
    const fresh = await challenge(world.app, deviceId);
    const signature = await keys.sign(proofText(deviceId, fresh.nonce));
    expect((await exchange(world.app, deviceId, fresh.nonce, signature)).status).toBe(200);
    expect((await exchange(world.app, deviceId, fresh.nonce, signature)).status).toBe(401);

    // A nonce given to one device cannot be used by another, even with its own valid signature.
    const foreign = await challenge(world.app, second);
    expect((await exchange(world.app, deviceId, foreign.nonce, await keys.sign(proofText(deviceId, foreign.nonce)))).status).toBe(401);

    // A nonce signed too late.
    const late = await challenge(world.app, deviceId);
    clock.at += AUTH_LIMITS.challengeMs + 1;
    expect((await exchange(world.app, deviceId, late.nonce, await keys.sign(proofText(deviceId, late.nonce)))).status).toBe(401);

    // An access token works for minutes, then 401; a new signature gives a new one.
    const token = await signIn(world.app, deviceId, keys);
    expect((await pull(world, token)).status).toBe(200);
    clock.at += AUTH_LIMITS.accessTokenMs + 1;
    const expired = await pull(world, token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'unauthorized' });
    expect((await pull(world, await signIn(world.app, deviceId, keys))).status).toBe(200);
  });

  it('does not hand out nonces for unknown devices or devices without a key, and answers bad bodies with 400', async ({ store, world }) => {
    expect((await challenge(world.app, '00000000-0000-4000-8000-000000000000')).status).toBe(401);
    expect((await challenge(world.app, world.a1.deviceId)).status).toBe(401); // a v1 device has no key to sign with
    for (const body of [{}, { deviceId: 'x' }, { deviceId: world.a1.deviceId, extra: 1 }]) {
      const response = await world.app.request('/v1/auth/challenge', postJson(body));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'bad_request', message: expect.any(String) });
    }
    const token = await world.app.request('/v1/auth/token', postJson({ deviceId: world.a1.deviceId, nonce: 'short', signature: 'x' }));
    expect(token.status).toBe(400);
    // A public key that is not a point on P-256 is refused, and the code stays unused.
    const enrolmentCode = await code(store, world);
    const keys = await deviceKeys();
    const broken = await world.app.request(
      '/v1/enrol',
      postJson({ code: enrolmentCode, deviceName: 'Tabletti', publicKey: { ...keys.publicKey, y: 'A'.repeat(43) } }),
    );
    expect(broken.status).toBe(400);
    expect((await enrolWithKey(world.app, enrolmentCode, keys)).status).toBe(201);
  });

  it('keeps a v1 tablet syncing with its bearer token until it binds a key; then that token gets 401', async ({ world }) => {
    const { a1 } = world;
    // Protocol 1, as a tablet of the first release sends it.
    const v1 = { 'Digituki-Protocol': '1' };
    expect((await a1.push([change(a1, 'guides', 'g1', GUIDE)], {}, v1)).status).toBe(200);
    expect((await world.app.request('/v1/pull', { headers: { ...headers(a1.token), ...v1 } })).status).toBe(200);

    // Updated: it binds a key with its v1 token, once.
    const keys = await deviceKeys();
    const bound = await world.app.request('/v1/auth/bind', postJson({ publicKey: keys.publicKey }, a1.token));
    expect(bound.status).toBe(200);
    expect((await pull(world, a1.token)).status).toBe(401);
    expect((await world.app.request('/v1/auth/bind', postJson({ publicKey: (await deviceKeys()).publicKey }, a1.token))).status).toBe(401);

    // Everything it had stays: it signs in with the key and goes on numbering where it was.
    const token = await signIn(world.app, a1.deviceId, keys);
    const next = await world.app.request('/v1/push', postJson({ mutations: [change(a1, 'guides', 'g2', GUIDE)] }, token));
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ lastMutationId: 2, applied: 1 });
    // An access token cannot bind another key over the first.
    expect((await world.app.request('/v1/auth/bind', postJson({ publicKey: (await deviceKeys()).publicKey }, token))).status).toBe(400);
    // The other v1 tablets are untouched.
    expect((await pull(world, world.a1b.token)).status).toBe(200);
  });

  it('tells a removed tablet so only after it proved it holds the key, and stops its access token at once', async ({ store, world }) => {
    const keys = await deviceKeys();
    const { deviceId } = (await enrolWithKey(world.app, await code(store, world), keys)).body;
    const token = await signIn(world.app, deviceId, keys);
    await revokeDevice(store, deviceId, true, T0);
    const refused = await pull(world, token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'revoked', wipe: true });
    const { nonce } = await challenge(world.app, deviceId);
    const told = await exchange(world.app, deviceId, nonce, await keys.sign(proofText(deviceId, nonce)));
    expect(told.status).toBe(401);
    expect(told.body).toMatchObject({ error: 'revoked', wipe: true });
  });

  it('works across two server processes on one database: a nonce from one is exchanged at the other, once', async ({ store, world, clock }) => {
    const other = makeApp(store, { now: clock.now });
    const keys = await deviceKeys();
    const { deviceId } = (await enrolWithKey(world.app, await code(store, world), keys)).body;
    const { nonce } = await challenge(world.app, deviceId);
    const signature = await keys.sign(proofText(deviceId, nonce));
    const answer = await exchange(other, deviceId, nonce, signature);
    expect(answer.status).toBe(200);
    expect((await exchange(world.app, deviceId, nonce, signature)).status).toBe(401);
    expect((await world.app.request('/v1/pull', { headers: headers(answer.body.accessToken) })).status).toBe(200);
  });
});
