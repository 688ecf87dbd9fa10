// Pictures cannot cost the server or a tablet: their headers' width and height are checked before they are stored,
// an organisation's pictures fit in its room on the server (507 quota_exceeded), and pictures no record refers to
// are collected after a week — on SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createEnrolmentCode } from '../../src/server/admin';
import { PICTURE_GRACE_MS, startHousekeeping } from '../../src/server/housekeeping';
import { createLogger } from '../../src/server/log';
import { describeEachBackend, type Backend } from './support/backends';
import { watchChore } from './support/chores';
import { jpeg, png, sha256, webp } from './support/pictures';
import { GUIDE, T0, change, enrol, makeApp, type Tablet } from './support/world';

const MiB = 1024 * 1024;
const DAY = 86_400_000;

async function put(
  tablet: Tablet,
  bytes: Uint8Array<ArrayBuffer>,
  type = 'image/png',
): Promise<{ status: number; body: { error?: string; message?: string; stored?: string } }> {
  const response = await tablet.request(`/v1/blobs/${sha256(bytes)}`, { method: 'PUT', headers: { 'Content-Type': type }, body: bytes });
  return { status: response.status, body: (await response.json()) as never };
}

async function has(tablet: Tablet, bytes: Uint8Array): Promise<boolean> {
  return (await tablet.request(`/v1/blobs/${sha256(bytes)}`, { method: 'HEAD' })).status === 200;
}

/** A picture with a real header and random bytes up to `size`: what a hostile tablet would fill the server with. */
const bulky = (size: number) => jpeg(1600, 1200, size);

describeEachBackend('pictures', (_backend: Backend, it) => {
  it('refuses a 24 KB PNG that decodes to 14000 × 14000 pixels, saying why', async ({ world }) => {
    const bomb = png(14_000, 14_000);
    expect(bomb.length).toBeLessThan(30_000);
    const refused = await put(world.a1, bomb);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'bad_request', message: expect.stringContaining('14000 × 14000 pixels') });
    expect(refused.body.message).toContain('at most 4096 pixels');
    expect(await has(world.a1, bomb)).toBe(false);
  });

  it('checks the width and height in PNG, JPEG and every kind of WebP header', async ({ world }) => {
    const { a1 } = world;
    const cases: [Uint8Array<ArrayBuffer>, string, number][] = [
      [png(1600, 1200), 'image/png', 201],
      [png(4096, 3906), 'image/png', 201], // 15,998,976 pixels
      [png(4097, 10), 'image/png', 400],
      [png(4096, 4096), 'image/png', 400], // 16.8 megapixels
      [png(0, 10), 'image/png', 400],
      [jpeg(1067, 1600), 'image/jpeg', 201],
      [jpeg(65_000, 2), 'image/jpeg', 400],
      [jpeg(4000, 4001), 'image/jpeg', 400],
      [webp('VP8 ', 1600, 900), 'image/webp', 201],
      [webp('VP8 ', 16_000, 16_000), 'image/webp', 400],
      [webp('VP8L', 900, 600), 'image/webp', 201],
      [webp('VP8L', 16_384, 16_384), 'image/webp', 400],
      [webp('VP8X', 1200, 800), 'image/webp', 201],
      [webp('VP8X', 16_000_000, 16_000_000), 'image/webp', 400],
    ];
    for (const [bytes, type, status] of cases) {
      const answer = await put(a1, bytes, type);
      expect(answer.status, `${type} ${answer.body.message ?? ''}`).toBe(status);
      expect(await has(a1, bytes)).toBe(status === 201);
    }
  });

  it('refuses 20 random 2 MiB bodies with a PNG signature and stores none of them', async ({ store, world }) => {
    const { a1 } = world;
    for (let i = 0; i < 20; i += 1) {
      const junk = new Uint8Array(randomBytes(2 * MiB - 1));
      junk.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const answer = await put(a1, junk);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe('The bytes are not a image/png picture.');
    }
    expect(await store.stats()).toMatchObject({ blobs: 0, blobBytes: 0 });
  });

  it('keeps each organisation within its room for pictures: 507 quota_exceeded in plain words, nothing stored', async ({ store, world }) => {
    const app = makeApp(store, { now: () => T0, blobQuotaBytes: 5 * MiB });
    const code = async (siteId: string) => (await createEnrolmentCode(store, siteId, 24, T0)).code;
    const a = await enrol(app, await code(world.siteA1));
    const elsewhere = await enrol(app, await code(world.siteA2)); // same organisation, other site: same room
    const other = await enrol(app, await code(world.siteB1));
    const first = bulky(2 * MiB - 100);
    const second = bulky(2 * MiB - 100);
    expect((await put(a, first, 'image/jpeg')).status).toBe(201);
    expect((await put(elsewhere, second, 'image/jpeg')).status).toBe(201);
    const third = bulky(2 * MiB - 100);
    const full = await put(a, third, 'image/jpeg');
    expect(full.status).toBe(507);
    expect(full.body.error).toBe('quota_exceeded');
    expect(full.body.message).toMatch(/^The organisation's pictures already take 4 MiB of the 5 MiB it has on the server, so this picture was not stored\. /);
    expect(await has(a, third)).toBe(false);
    expect((await put(a, first, 'image/jpeg')).status).toBe(200); // one it already has is no new room
    expect((await put(a, bulky(900 * 1024), 'image/jpeg')).status).toBe(201); // what still fits, fits
    expect((await put(other, third, 'image/jpeg')).status).toBe(201); // another organisation has its own room

    // An administrator gives the organisation more room (npm run admin -- org quota <orgId> <MiB>), or takes it back.
    expect(await store.setBlobQuota(world.orgA, 8 * MiB)).toBe(true);
    expect((await put(a, third, 'image/jpeg')).status).toBe(201);
    expect(await store.blobUsage(world.orgA)).toEqual({ usedBytes: 3 * (2 * MiB - 100) + 900 * 1024, quotaBytes: 8 * MiB });
    await store.setBlobQuota(world.orgA, null);
    expect((await put(a, bulky(MiB), 'image/jpeg')).status).toBe(507);
  });

  it('collects pictures no record refers to once they are a week old, on the housekeeping timer', async ({ store, world }) => {
    const { a1, a2 } = world;
    const used = png(800, 600);
    const dropped = png(801, 600);
    const replaced = png(802, 600);
    const ofDeletedStep = png(803, 600);
    const fresh = png(804, 600);
    for (const picture of [used, dropped, replaced, ofDeletedStep]) expect((await put(a1, picture)).status).toBe(201);
    await a1.push([
      change(a1, 'guides', 'g1', GUIDE),
      change(a1, 'guideSteps', 's1', { guideId: 'g1', imageHash: sha256(used) }),
      change(a1, 'guideSteps', 's2', { guideId: 'g1', imageHash: sha256(replaced) }),
      change(a1, 'guideSteps', 's3', { guideId: 'g1', imageHash: sha256(ofDeletedStep) }),
    ]);
    await a1.push([change(a1, 'guideSteps', 's2', { imageHash: null }), change(a1, 'guideSteps', 's3', { deleted: 1 })]);
    // The same picture in another organisation is that organisation's own, referred to by nothing there.
    expect((await put(world.b1, used)).status).toBe(201);

    const sweeps = watchChore(store, 'collectUnreferencedBlobs');
    let now = T0 + 6 * DAY;
    const housekeeping = startHousekeeping({ store, logger: createLogger('silent'), now: () => now, everyMs: 20 });
    try {
      await sweeps.finishedWith(now - PICTURE_GRACE_MS); // a sweep on the timer at six days has run
      expect(await store.stats()).toMatchObject({ blobs: 5 }); // within the week: all kept
      const late = makeApp(store, { now: () => T0 + 6.5 * DAY });
      const uploader = await enrol(late, (await createEnrolmentCode(store, world.siteA1, 24 * 8, T0)).code);
      expect((await put(uploader, fresh)).status).toBe(201); // uploaded a day before the sweep below, not yet pushed
      now = T0 + 7 * DAY + 1;
      await sweeps.finishedWith(now - PICTURE_GRACE_MS);
    } finally {
      await housekeeping.stop();
    }
    expect(await has(a2, used)).toBe(true);
    expect(await has(a2, ofDeletedStep)).toBe(true); // undoing the delete brings the step back with its picture
    expect(await has(a2, fresh)).toBe(true);
    expect(await has(a2, dropped)).toBe(false);
    expect(await has(a2, replaced)).toBe(false);
    expect(await has(world.b1, used)).toBe(false);
    expect(await store.stats()).toMatchObject({ blobs: 3 });
    // Collected pictures give their room back.
    expect((await store.blobUsage(world.orgA)).usedBytes).toBe(used.length + ofDeletedStep.length + fresh.length);
  });
});
