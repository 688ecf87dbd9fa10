// Limits that hold behind the recommended reverse proxy: the client's own address (X-Forwarded-For only with
// TRUST_PROXY), enrolment limited per address and per code, and failed token attempts counted per address.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnrolmentCode } from '../../src/server/admin';
import { clientAddressFrom } from '../../src/server/client-address';
import { ConfigError, readConfig } from '../../src/server/config';
import type { Store } from '../../src/server/store';
import { describeEachBackend, type Backend } from './support/backends';
import { T0, headers, makeApp, type World } from './support/world';
import type { Hono } from 'hono';

describeEachBackend('client addresses and limits', (_backend: Backend, it) => {
  const enrolFrom = (app: Hono, forwardedFor: string | undefined, code: string) =>
    app.request('/v1/enrol', {
      method: 'POST',
      headers: headers(undefined, { 'Content-Type': 'application/json', ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) }),
      body: JSON.stringify({ code, deviceName: 'Olohuone tablet' }),
    });
  const freshCode = async ({ store, world }: { store: Store; world: World }) => (await createEnrolmentCode(store, world.siteA1, 24, T0)).code;
  const wrongCode = (n: number) => `WRNG-C0DE-${String(n).padStart(4, '0')}`;

  it('without TRUST_PROXY, X-Forwarded-For is not believed: rotating it does not escape the limit', async ({ store, world }) => {
    const app = makeApp(store, { now: () => T0 });
    for (let n = 0; n < 10; n += 1) expect((await enrolFrom(app, `203.0.113.${n}`, wrongCode(n))).status).toBe(400);
    const limited = await enrolFrom(app, '203.0.113.99', await freshCode({ store, world }));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
  });

  it('with TRUST_PROXY=1, people behind the proxy do not share one bucket, and a spoofed left part changes nothing', async ({ store, world }) => {
    const app = makeApp(store, { now: () => T0, trustProxy: 1 });
    for (let n = 0; n < 10; n += 1) expect((await enrolFrom(app, '198.51.100.7', wrongCode(n))).status).toBe(400);
    // The proxy appends the address it saw; whatever the client wrote before it is not believed.
    expect((await enrolFrom(app, '10.9.8.7, 198.51.100.7', await freshCode({ store, world }))).status).toBe(429);
    expect((await enrolFrom(app, '198.51.100.8', await freshCode({ store, world }))).status).toBe(201);
  });

  it('limits attempts on one code however many addresses try it', async ({ store, world }) => {
    const app = makeApp(store, { now: () => T0, trustProxy: 1 });
    const target = 'AAAA-BBBB-CCCC';
    for (let n = 0; n < 5; n += 1) expect((await enrolFrom(app, `192.0.2.${n}`, target)).status).toBe(400);
    const limited = await enrolFrom(app, '192.0.2.200', target.toLowerCase().replace(/-/g, ' ')); // the same code typed loosely
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { message: string }).message).toMatch(/this code/);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await enrolFrom(app, '192.0.2.201', await freshCode({ store, world }))).status).toBe(201); // other codes are not held up
  });

  it('counts failed token attempts per address: 429 after too many, other addresses unaffected', async ({ store, world }) => {
    const app = makeApp(store, { now: () => T0, trustProxy: 1 });
    const pull = (forwardedFor: string, token: string) => app.request('/v1/pull', { headers: headers(token, { 'X-Forwarded-For': forwardedFor }) });
    const guess = (n: number) => `${world.a1.deviceId}.${String(n).padStart(43, 'A')}`;
    for (let n = 0; n < 20; n += 1) expect((await pull('203.0.113.66', guess(n))).status).toBe(401);
    const limited = await pull('203.0.113.66', guess(20));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/failed/) });
    // Once an address has failed too often, it waits, whatever it presents: a right guess must not stand out.
    expect((await pull('203.0.113.66', world.a1.token)).status).toBe(429);
    expect((await pull('203.0.113.67', world.a1.token)).status).toBe(200);
    expect((await pull('203.0.113.67', guess(21))).status).toBe(401);
  });
});

describe('the hop rule', () => {
  const address = fc.oneof(fc.ipV4(), fc.ipV6());

  it('takes the address TRUST_PROXY hops from the socket; what the client wrote further left never counts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 20 }).filter((s) => !s.includes(',')),
          { maxLength: 4 },
        ),
        fc.array(address, { minLength: 1, maxLength: 3 }),
        address,
        (spoofed, proxies, socket) => {
          // `proxies`: what our own proxies appended (the first is the client as the outermost proxy saw it).
          const header = [...spoofed, ...proxies].join(', ');
          expect(clientAddressFrom(header, socket, proxies.length)).toBe(proxies[0]);
          expect(clientAddressFrom(header, socket, 0)).toBe(socket);
          expect(clientAddressFrom(undefined, socket, proxies.length)).toBe(socket);
        },
      ),
    );
  });

  it('reads TRUST_PROXY as a number of proxies, in plain words when it is not one', () => {
    expect(readConfig({}).trustProxy).toBe(0);
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    for (const wrong of ['true', 'yes', '-1', '10.0.0.1']) expect(() => readConfig({ TRUST_PROXY: wrong })).toThrow(ConfigError);
    expect(() => readConfig({ TRUST_PROXY: 'true' })).toThrow(/number of your own proxies/);
  });
});
