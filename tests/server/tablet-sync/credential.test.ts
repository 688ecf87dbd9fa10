// The tablet's device credential (protocol v2) with the real engine against the real server: it enrols with a
// non-extractable key pair, keeps no string a copy could use, earns access tokens in memory and renews them; a tablet
// enrolled with protocol 1 binds a key once and forgets its bearer token, also when the answer to the bind is lost.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { readDeviceKey, readEnrolment, saveEnrolment, waitingChanges } from '../../../src/db/sync';
import { AUTH_LIMITS, PROTOCOL_HEADER, type EnrolResponse } from '../../../src/protocol';
import { SyncError } from '../../../src/sync/engine';
import { makeApp } from '../support/world';
import { SERVER, makeWorld, type Tablet, type World } from './support';

let world: World;
let serverNow: number;
let replayApp: ReturnType<typeof makeApp> | undefined;

beforeEach(async () => {
  replayApp = undefined;
  serverNow = Date.now();
  world = await makeWorld({ now: () => serverNow });
});
afterEach(async () => {
  await world.close();
});

const log = (format: string) => ({
  status: 'final',
  startedAt: Date.now() - 86_400_000,
  format,
  topics: ['security'],
  participants: { member: { new: 1, returning: 0 } },
});

/** Every string anywhere in the tablet's sync state rows (enrolment, key row, cursor, …), however deep. */
async function storedStrings(tablet: Tablet): Promise<string[]> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object' && !(value instanceof CryptoKey)) Object.values(value).forEach(walk);
  };
  for (const row of await tablet.database.syncState.toArray()) walk(row);
  return [...found];
}

/** A replay with curl: the same server (store), an app whose limit on failed tokens does not stop the test first. */
async function replayed(token: string): Promise<number> {
  replayApp ??= makeApp(world.store, { authFailureRateLimit: { burst: 100_000, perSecond: 1000 } });
  const response = await replayApp.request('/v1/pull', { headers: { [PROTOCOL_HEADER]: '2', Authorization: `Bearer ${token}` } });
  return response.status;
}

async function serverLogs(): Promise<string[]> {
  return (await world.store.recordsOfOrganisation(world.orgId, 'sessions')).map((record) => record.id).sort();
}

/** A tablet as the first release left it: enrolled with protocol 1, its bearer token in IndexedDB, no key. */
async function v1Tablet(name: string): Promise<Tablet & { token: string }> {
  const tablet = await world.tablet(name);
  const response = await world.app.request('/v1/enrol', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [PROTOCOL_HEADER]: '1' },
    body: JSON.stringify({ code: await world.code(), deviceName: name }),
  });
  const body = (await response.json()) as EnrolResponse & { token: string };
  await saveEnrolment(tablet.database, { ...body, serverUrl: SERVER, deviceName: name, enrolledAt: Date.now() });
  return Object.assign(tablet, { token: body.token });
}

describe('a tablet enrolled with protocol 2', () => {
  it('keeps a non-extractable key and no token; nothing stored replays, and it keeps syncing', async () => {
    const tablet = await world.tablet('A');
    const enrolment = (await readEnrolment(tablet.database))!;
    expect(enrolment).not.toHaveProperty('token');
    const key = (await readDeviceKey(tablet.database, enrolment.deviceId))!;
    expect(key.bound).toBe(true);
    expect(key.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', key.privateKey)).rejects.toThrow();

    await tablet.use(() => saveRecord('sessions', 'log1', log('walk-in')));
    await tablet.sync();
    const strings = await storedStrings(tablet);
    expect(strings.length).toBeGreaterThan(5);
    expect(strings.some((value) => value.startsWith('at.'))).toBe(false); // the access token never reaches IndexedDB
    for (const value of strings) expect(await replayed(value), value).toBe(401);

    await tablet.use(() => saveRecord('sessions', 'log2', log('group')));
    await tablet.sync();
    expect(await serverLogs()).toEqual(['log1', 'log2']);
  }, 90_000);

  it('signs in once per token lifetime and again after the token expired', async () => {
    const tablet = await world.tablet('A');
    await tablet.sync();
    const signIns = () => tablet.network.requests.filter((request) => request === 'POST /v1/auth/token').length;
    expect(signIns()).toBe(1);
    await tablet.use(() => saveRecord('sessions', 'log1', log('walk-in')));
    await tablet.sync();
    expect(signIns()).toBe(1);
    // The server's clock moves past the token's life (the tablet's own date did not): a 401, a new nonce, one retry.
    serverNow += AUTH_LIMITS.accessTokenMs + 1000;
    await tablet.use(() => saveRecord('sessions', 'log2', log('group')));
    await tablet.sync();
    expect(signIns()).toBe(2);
    expect(await serverLogs()).toEqual(['log1', 'log2']);
  });

  it('signs in while it packs its first push, once, even when the answer to the sign-in is slow to come', async () => {
    const tablet = await world.tablet('A');
    await tablet.use(async () => {
      for (let n = 0; n < 20; n += 1) await saveRecord('sessions', `log${n}`, log('walk-in'));
    });
    const good = tablet.network.fetch;
    let numberedWhenAsked: number | undefined;
    let numberedWhenSigningIn: number | undefined;
    tablet.network.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input).endsWith('/v1/auth/challenge')) return good(input, init);
      const numberedCount = async () => (await waitingChanges(tablet.database)).filter((entry) => entry.mutationId !== undefined).length;
      const counted = numberedCount();
      const response = await good(input, init);
      numberedWhenAsked = await counted;
      // A slow network: the nonce comes back only once the tablet has numbered its push, which it does meanwhile.
      for (let wait = 0; wait < 100 && !(await numberedCount()); wait += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      numberedWhenSigningIn = await numberedCount();
      return response;
    }) as typeof fetch;
    await tablet.sync();
    expect(numberedWhenAsked).toBe(0); // signing in began before the push was packed…
    expect(numberedWhenSigningIn).toBe(20); // …which it was while the sign-in was on its way
    expect(tablet.network.requests.filter((request) => request === 'POST /v1/auth/token')).toHaveLength(1);
    expect(await serverLogs()).toHaveLength(20);
  });

  it('is told it was removed, and cannot sync any more', async () => {
    const tablet = await world.tablet('A');
    await tablet.sync();
    await world.store.revokeDevice((await readEnrolment(tablet.database))!.deviceId, true, Date.now());
    const failure = await tablet.sync().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SyncError);
    expect((failure as SyncError).problem).toEqual({ code: 'revoked', wipe: true });
  });
});

describe('a tablet enrolled with protocol 1, after the update', () => {
  it('binds a key once, forgets its token (which the server then refuses) and syncs on with its numbering', async () => {
    const tablet = await v1Tablet('Old');
    await tablet.use(() => saveRecord('sessions', 'log1', log('walk-in')));
    await tablet.sync();
    expect(tablet.network.requests.filter((request) => request === 'POST /v1/auth/bind')).toHaveLength(1);
    const enrolment = (await readEnrolment(tablet.database))!;
    expect(enrolment).not.toHaveProperty('token');
    expect((await readDeviceKey(tablet.database, enrolment.deviceId))?.bound).toBe(true);
    expect(await storedStrings(tablet)).not.toContain(tablet.token);
    expect(await replayed(tablet.token)).toBe(401);

    await tablet.use(() => saveRecord('sessions', 'log2', log('group')));
    await tablet.sync();
    expect(tablet.network.requests.filter((request) => request === 'POST /v1/auth/bind')).toHaveLength(1);
    expect(await serverLogs()).toEqual(['log1', 'log2']);
    expect((await world.store.findDevice(enrolment.deviceId))!.lastMutationId).toBe(2);
  });

  it('finishes binding when the answer to the bind was lost: the key it kept signs in', async () => {
    const tablet = await v1Tablet('Old');
    tablet.network.faults = ['lose-answer'];
    await expect(tablet.sync()).rejects.toMatchObject({ problem: { code: 'offline' } });
    // The server bound the key; the tablet still has its token and the key it made.
    expect(await replayed(tablet.token)).toBe(401);
    expect((await readEnrolment(tablet.database))!.token).toBe(tablet.token);
    await tablet.use(() => saveRecord('sessions', 'log1', log('walk-in')));
    await tablet.sync();
    expect(await readEnrolment(tablet.database)).not.toHaveProperty('token');
    expect(await serverLogs()).toEqual(['log1']);
  });
});
