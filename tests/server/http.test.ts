// The HTTP edge: enrolment, tokens, versions, sizes, types, rate limits, headers and logs — and nothing a client sends crashes it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { LIMITS, PROTOCOL_VERSION, type EnrolResponse } from '../../src/protocol';
import { createEnrolmentCode } from '../../src/server/admin';
import { CONTENT_SECURITY_POLICY } from '../../src/server/headers';
import { SQLITE_FILE } from '../../src/server/sqlite';
import { describeEachBackend, type Backend } from './support/backends';
import { GUIDE, T0, captureLogs, change, enrol, headers, makeApp, tabletOf, type Tablet, type World } from './support/world';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
// A JPEG start and frame header (SOF0, 1600 × 1200), then filler up to `size` bytes.
const jpeg = (size: number): Uint8Array<ArrayBuffer> => {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x04, 0xb0, 0x06, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
  for (let i = 21; i < size; i += 1) bytes[i] = (i * 31) % 251;
  return bytes;
};

describeEachBackend('HTTP edge', (backend: Backend, it) => {
  const post = ({ world }: { world: World }, path: string, body: BodyInit, extra: Record<string, string> = {}, token?: string) =>
    world.app.request(path, { method: 'POST', headers: headers(token, { 'Content-Type': 'application/json', ...extra }), body });

  it('enrols with a one-time code, typed loosely, and keeps only a hash of the token', async ({ opened, store, world }) => {
    const { code } = await createEnrolmentCode(store, world.siteA1, 24, T0);
    const response = await post({ world }, '/v1/enrol', JSON.stringify({ code: ` ${code.toLowerCase().replace(/-/g, ' ')} `, deviceName: 'Tablet 3' }));
    expect(response.status).toBe(201);
    const enrolled = (await response.json()) as { deviceId: string; token: string; orgId: string; siteId: string; siteName: string };
    expect(enrolled).toMatchObject({ orgId: world.orgA, siteId: world.siteA1, siteName: 'Päiväkeskus Kallio' });
    const secret = enrolled.token.split('.')[1]!;
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    const device = await store.findDevice(enrolled.deviceId);
    expect(device!.tokenHash).toBe(createHash('sha256').update(secret).digest('hex'));
    if (backend.name === 'SQLite') expect(readFileSync(join(opened.config.dataDir, SQLITE_FILE)).includes(secret)).toBe(false);
    const again = await post({ world }, '/v1/enrol', JSON.stringify({ code, deviceName: 'Tablet 4' }));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'code_invalid' });
  });

  it('refuses an expired code', async ({ store, world }) => {
    const { code } = await createEnrolmentCode(store, world.siteA1, 1, T0 - 2 * 3_600_000);
    expect((await post({ world }, '/v1/enrol', JSON.stringify({ code, deviceName: 'Tablet' }))).status).toBe(400);
  });

  it('wants a valid bearer token on every endpoint but enrolment and health', async ({ world }) => {
    const { a1 } = world;
    for (const authorization of [undefined, 'Bearer nonsense', `Bearer ${a1.token}x`, `Bearer ${a1.deviceId}.${'A'.repeat(43)}`, `Basic ${a1.token}`]) {
      const extra: Record<string, string> = authorization ? { Authorization: authorization } : {};
      for (const [path, method] of [
        ['/v1/pull', 'GET'],
        ['/v1/push', 'POST'],
        [`/v1/blobs/${'a'.repeat(64)}`, 'GET'],
      ] as const) {
        const response = await world.app.request(path, {
          method,
          headers: headers(undefined, { 'Content-Type': 'application/json', ...extra }),
          body: method === 'POST' ? '{"mutations":[]}' : undefined,
        });
        expect(response.status, `${method} ${path} with ${authorization}`).toBe(401);
        expect(await response.json()).toMatchObject({ error: 'unauthorized' });
      }
    }
    expect((await world.app.request('/v1/health')).status).toBe(200);
  });

  it('tells an old app to update (426) and a new app that the server is old', async ({ world }) => {
    const { a1 } = world;
    for (const version of [undefined, '0', 'one']) {
      const response = await world.app.request('/v1/pull', {
        headers: { Authorization: `Bearer ${a1.token}`, ...(version ? { 'Digituki-Protocol': version } : {}) },
      });
      expect(response.status).toBe(426);
      expect(await response.json()).toMatchObject({ error: 'protocol_too_old', message: expect.stringContaining('Update the app') });
    }
    const newer = await world.app.request('/v1/pull', { headers: { Authorization: `Bearer ${a1.token}`, 'Digituki-Protocol': String(PROTOCOL_VERSION + 1) } });
    expect(newer.status).toBe(400);
    expect(await newer.json()).toMatchObject({ error: 'protocol_too_new' });
  });

  it('takes JSON only (415) and no more than the limit (413)', async ({ world }) => {
    const { a1 } = world;
    const text = await a1.request('/v1/push', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"mutations":[]}' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
    const huge = JSON.stringify({ mutations: [change(a1, 'guides', 'g1', { ...GUIDE, summary: 'x'.repeat(LIMITS.pushBodyBytes) })] });
    const tooBig = await a1.request('/v1/push', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: huge });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: 'payload_too_large' });
    expect((await post({ world }, '/v1/enrol', JSON.stringify({ code: 'x', deviceName: 'y'.repeat(LIMITS.enrolBodyBytes) }))).status).toBe(413);
    expect((await post({ world }, '/v1/enrol', '{"code":', {})).status).toBe(400);
    expect((await a1.request('/v1/push', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[1,2' })).status).toBe(400);
  });

  it('slows a runaway tablet with 429 and Retry-After, per device', async ({ store, world }) => {
    const app = makeApp(store, { now: () => T0, deviceRateLimit: { burst: 3, perSecond: 0.5 } });
    const code = async () => (await createEnrolmentCode(store, world.siteA1, 1, T0)).code;
    const busy = await enrol(app, await code());
    const calm = await enrol(app, await code());
    for (let i = 0; i < 3; i += 1) expect((await busy.pull()).status).toBe(200);
    const limited = await busy.request('/v1/pull');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
    expect((await calm.pull()).status).toBe(200);
  });

  it('stores a picture by its hash: checked, typed, size-limited and idempotent', async ({ world }) => {
    const { a1 } = world;
    const picture = jpeg(5000);
    const hash = sha256(picture);
    const put = (bytes: Uint8Array, name = hash, type = 'image/jpeg') =>
      a1.request(`/v1/blobs/${name}`, { method: 'PUT', headers: { 'Content-Type': type }, body: bytes as Uint8Array<ArrayBuffer> });
    expect((await a1.request(`/v1/blobs/${hash}`, { method: 'HEAD' })).status).toBe(404);
    const wrongBytes = await put(jpeg(4000));
    expect(wrongBytes.status).toBe(400);
    expect(await wrongBytes.json()).toMatchObject({ error: 'hash_mismatch' });
    expect((await a1.request(`/v1/blobs/${hash}`, { method: 'HEAD' })).status).toBe(404);
    expect((await put(picture, hash, 'text/html')).status).toBe(415);
    expect((await put(picture, hash, 'image/png')).status).toBe(400); // the bytes are a JPEG, not a PNG
    expect((await put(picture, 'NOT-A-HASH')).status).toBe(400);
    const big = jpeg(LIMITS.blobBytes + 1);
    expect((await put(big, sha256(big))).status).toBe(413);
    expect((await put(picture)).status).toBe(201);
    expect((await put(picture)).status).toBe(200);
    const head = await a1.request(`/v1/blobs/${hash}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('5000');
    const got = await a1.request(`/v1/blobs/${hash}`);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(picture);
    // A step pointing at a picture the server lacks is applied, and the tablet is told to upload it.
    const other = 'b'.repeat(64);
    const pushed = await a1.push([
      change(a1, 'guideSteps', 's1', { guideId: 'g1', imageHash: hash }),
      change(a1, 'guideSteps', 's2', { guideId: 'g1', imageHash: other }),
    ]);
    expect(pushed.body).toMatchObject({ applied: 2, missingBlobs: [other] });
  });

  it('puts the security headers on the app and the API', async ({ world }) => {
    for (const path of ['/', '/guides/celia', '/v1/health']) {
      const response = await world.app.request(path);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('permissions-policy')).toContain('camera=(self)');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('logs device, route, status and duration — never a token, a code, an address or a body', async ({ store, world }) => {
    const { logger, lines } = captureLogs();
    const app = makeApp(store, { now: () => T0, logger });
    const { code } = await createEnrolmentCode(store, world.siteA1, 1, T0);
    const tablet = await enrol(app, code);
    await tablet.push([change(tablet, 'guides', 'g-secret-id', { ...GUIDE, title: 'Very private title' })]);
    await tablet.pull();
    await tablet.request(`/v1/blobs/${'c'.repeat(64)}`);
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const entry = JSON.parse(lines.find((line) => line.includes('/v1/push'))!) as Record<string, unknown>;
    expect(entry).toMatchObject({ deviceId: tablet.deviceId, route: '/v1/push', status: 200, method: 'POST' });
    expect(typeof entry.ms).toBe('number');
    for (const secret of [tablet.token.split('.')[1]!, code, code.replace(/-/g, ''), 'Very private title', 'g-secret-id', 'c'.repeat(64), '127.0.0.1']) {
      expect(log).not.toContain(secret);
    }
  });

  it('answers 1,000 random bodies per endpoint — nested, NUL-carrying, prototype keys — with 4xx or success, never a 5xx', async ({ store, world }) => {
    // The real limits: the bodies are spread over a dozen tablets and many client addresses (behind a trusted proxy),
    // with the clock moving on, so every body reaches the parsers and none is hidden behind a 429.
    let clock = T0;
    const app = makeApp(store, { now: () => clock, trustProxy: 1 });
    const sites = [world.siteA1, world.siteA2, world.siteB1];
    const tablets: Tablet[] = [];
    for (let n = 0; n < 12; n += 1) {
      const { code } = await createEnrolmentCode(store, sites[n % 3]!, 24, T0);
      const response = await app.request('/v1/enrol', {
        method: 'POST',
        headers: headers(undefined, { 'Content-Type': 'application/json', 'X-Forwarded-For': `192.0.2.${n}` }),
        body: JSON.stringify({ code, deviceName: `Tablet ${n}` }),
      });
      expect(response.status).toBe(201);
      tablets.push(tabletOf(app, (await response.json()) as EnrolResponse & { token: string }));
    }

    // Text with what breaks stores and terminals: NUL and other controls, a lone surrogate, quotes and backslashes.
    const nasty = fc.string({
      unit: fc.constantFrom('\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u2028', '\ud800', '\udfff', 'a', 'ä', '"', '\\', '-', '1'),
      maxLength: 12,
    });
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'),
      fc.constantFrom('title', 'note', 'participants', 'member', 'answers', 'mood', 'mutations', 'fields', 'table', 'guides', 'sessions', 'buckets', 'records'),
      nasty,
    );
    const scalar = fc.oneof(
      nasty.map((text) => JSON.stringify(text)),
      fc.jsonValue({ maxDepth: 1 }).map((value) => JSON.stringify(value)),
    );
    // JSON text built by hand, so that "__proto__" is a real key of the text and not a prototype of a generator's object.
    const { node: jsonText } = fc.letrec<{ node: string; array: string; object: string }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
      object: fc
        .array(fc.tuple(key, tie('node')), { maxLength: 4 })
        .map((entries) => `{${entries.map(([name, value]) => `${JSON.stringify(name)}:${value}`).join(',')}}`),
    }));
    const nested = fc
      .tuple(fc.integer({ min: 2, max: 3000 }), fc.boolean(), scalar)
      .map(([depth, arrays, leaf]) => (arrays ? '['.repeat(depth) + leaf + ']'.repeat(depth) : '{"a":'.repeat(depth) + leaf + '}'.repeat(depth)));
    const table = fc.oneof(fc.constantFrom('guides', 'guideSteps', 'sessions', 'feedback'), nasty);
    const mutationText = fc
      .record({
        mutationId: fc.oneof(fc.integer({ min: -1, max: 40 }), fc.double()),
        table,
        id: fc.oneof(fc.constant('r1'), nasty),
        hlc: fc.oneof(fc.constant('001767000000000-0000-tablet'), nasty),
        fields: fc.oneof(jsonText, nested),
        extra: fc.option(fc.tuple(key, jsonText)),
      })
      .map(
        ({ mutationId, table, id, hlc, fields, extra }) =>
          `{"mutationId":${JSON.stringify(mutationId)},"table":${JSON.stringify(table)},"id":${JSON.stringify(id)},` +
          `"hlc":${JSON.stringify(hlc)},"fields":${fields}${extra ? `,${JSON.stringify(extra[0])}:${extra[1]}` : ''}}`,
      );
    const kinds = {
      earlier: fc.oneof(
        fc.json(),
        fc.string({ maxLength: 200 }),
        fc.jsonValue().map((value) => JSON.stringify({ mutations: [value] })),
        fc.record({ code: fc.jsonValue(), deviceName: fc.jsonValue() }).map((b) => JSON.stringify(b)),
      ),
      nested: fc.oneof(
        nested,
        nested.map((deep) => `{"mutations":[{"mutationId":1,"table":"guides","id":"g1","hlc":"001767000000000-0000-tablet","fields":{"summary":${deep}}}]}`),
        nested.map((deep) => `{"code":${deep},"deviceName":"x"}`),
      ),
      controls: fc.oneof(
        fc.tuple(nasty, nasty).map(([code, deviceName]) => JSON.stringify({ code, deviceName })),
        mutationText.map((m) => `{"mutations":[${m}]}`),
        nasty.map((text) => JSON.stringify({ buckets: { [text]: [text] }, records: { sessions: [text] } })),
      ),
      prototypes: fc.oneof(
        jsonText,
        jsonText.map((fields) => `{"mutations":[{"mutationId":1,"table":"sessions","id":"s1","hlc":"001767000000000-0000-tablet","fields":${fields}}]}`),
        fc.array(mutationText, { maxLength: 3 }).map((ms) => `{"__proto__":{"mutations":[]},"mutations":[${ms.join(',')}]}`),
        jsonText.map((text) => `{"buckets":${text}}`),
        jsonText.map((text) => `{"records":${text}}`),
      ),
    };
    const anyBody = fc.oneof(...Object.entries(kinds).map(([kind, body]) => body.map((text) => ({ kind, text }))));
    const samples = fc.sample(anyBody, { numRuns: 1000, seed: 6 });
    for (const kind of Object.keys(kinds)) expect(samples.filter((sample) => sample.kind === kind).length, kind).toBeGreaterThan(150);

    const statuses = new Map<string, Set<number>>();
    const check = async (endpoint: string, response: Response | Promise<Response>) => {
      const { status } = await response;
      if (!statuses.has(endpoint)) statuses.set(endpoint, new Set());
      statuses.get(endpoint)!.add(status);
      expect(status, endpoint).toBeLessThan(500);
      expect(status, endpoint).not.toBe(429);
    };
    const json = { 'Content-Type': 'application/json' };
    const query = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
    const rawQueries = ['%00', '%ZZ', '%ED%A0%80', '%E0%A4%A', '%', '__proto__', 'constructor'];
    const pictureTypes = ['image/webp', 'image/png', 'image/jpeg'];
    const magic = [
      [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
      [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08],
    ];
    for (const [n, { text: body }] of samples.entries()) {
      clock += 500;
      const tablet = tablets[n % tablets.length]!;
      await check('push', tablet.request('/v1/push', { method: 'POST', headers: json, body }));
      await check(
        'enrol',
        app.request('/v1/enrol', { method: 'POST', headers: headers(undefined, { ...json, 'X-Forwarded-For': `198.51.100.${n % 200}` }), body }),
      );
      const cursor = n % 10 === 0 ? rawQueries[(n / 10) % rawQueries.length]! : query(body.slice(0, 120));
      await check('pull', tablet.request(`/v1/pull?cursor=${cursor}&limit=${n % 2 ? query(body.slice(0, 4)) : '50'}`));
      await check('digest/buckets', tablet.request('/v1/digest/buckets', { method: 'POST', headers: json, body }));
      await check('records', tablet.request('/v1/records', { method: 'POST', headers: json, body }));
      const type = pictureTypes[n % 3]!;
      const bytes = new Uint8Array([...magic[n % 3]!, ...new TextEncoder().encode(body)]);
      await check('blobs', tablet.request(`/v1/blobs/${sha256(bytes)}`, { method: 'PUT', headers: { 'Content-Type': type }, body: bytes }));
    }
    expect([...statuses.get('push')!].sort()).toEqual(expect.arrayContaining([200, 400, 409]));
    expect(statuses.get('enrol')!.has(400)).toBe(true);
    expect(statuses.get('pull')!.has(200)).toBe(true);
  }, 300_000);
});
