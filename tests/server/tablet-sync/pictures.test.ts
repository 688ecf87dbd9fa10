// Pictures that did not reach the server, against the real server (in-process, real SQLite file): the tablet that
// has one keeps trying until the server has it, and any tablet with the bytes uploads a picture the server names.
import { describe, expect, it } from 'vitest';
import { saveRecord } from '../../../src/db/changes';
import { syncOnce } from '../../../src/sync/engine';
import { eachTestInAWorld, type Tablet, type World } from './support';

let world: World;
eachTestInAWorld((made) => {
  world = made;
});

// A 1×1 PNG, as the guide editor's picture pipeline would store one.
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);

async function pictureHash(): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', PNG)).toString('hex');
}

async function keepPicture(tablet: Tablet, hash: string, uploaded: 0 | 1): Promise<void> {
  await tablet.database.blobs.put({ hash, type: 'image/png', bytes: new Blob([PNG], { type: 'image/png' }), size: PNG.length, uploaded });
}

async function writeGuideWithPicture(tablet: Tablet, hash: string): Promise<void> {
  await tablet.use(async () => {
    await saveRecord('guides', 'g1', { slug: 'tulostin', lang: 'fi', title: 'Tulostin', summary: '', category: 'device', tags: [], source: 'org', version: 1 });
    await saveRecord('guideSteps', 's1', { guideId: 'g1', orderKey: 'V', kind: 'step', text: 'Paina nappia.', alt: 'Tulostimen nappi', imageHash: hash });
  });
}

/** The tablet's network, but every picture upload times out at a proxy (408): the logs still go. */
function picturesTimeOut(tablet: Tablet): typeof fetch {
  return async (input, init) => {
    if (init?.method === 'PUT' && String(input).includes('/v1/blobs/')) return new Response('Request Timeout', { status: 408 });
    return tablet.network.fetch(input, init);
  };
}

describe('pictures the server does not have', () => {
  it('uploads a picture whose upload failed after its step was acknowledged, on the next round', async () => {
    const hash = await pictureHash();
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    await keepPicture(a, hash, 0);
    await writeGuideWithPicture(a, hash);
    await syncOnce({ database: a.database, fetch: picturesTimeOut(a) });
    expect(await a.database.outbox.count()).toBe(0); // the step was acknowledged…
    expect(await world.store.hasBlob(world.orgId, hash)).toBeUndefined(); // …without its picture
    expect((await a.database.blobs.get(hash))?.uploaded).toBe(0); // and the tablet knows it is not up yet
    await b.sync();
    expect(await b.database.blobs.get(hash)).toBeUndefined();

    await a.sync(); // the network is good again: nothing waits in the outbox, but the picture does
    expect(await world.store.hasBlob(world.orgId, hash)).toBeDefined();
    expect((await a.database.blobs.get(hash))?.uploaded).toBe(1);
    await b.sync();
    expect(new Uint8Array(await (await b.database.blobs.get(hash))!.bytes.arrayBuffer())).toEqual(PNG);
  });

  it('uploads a picture the pull names as missing when this tablet has its bytes, though another tablet wrote the step', async () => {
    const hash = await pictureHash();
    const a = await world.tablet('A');
    const b = await world.tablet('B');
    const c = await world.tablet('C');
    await keepPicture(a, hash, 0);
    await writeGuideWithPicture(a, hash);
    await syncOnce({ database: a.database, fetch: picturesTimeOut(a) }); // and then tablet A is lost
    expect(await world.store.hasBlob(world.orgId, hash)).toBeUndefined();

    await keepPicture(b, hash, 1); // B has the same picture and believes the server has it too
    await b.sync();
    expect(await world.store.hasBlob(world.orgId, hash)).toBeDefined();
    await c.sync();
    expect(new Uint8Array(await (await c.database.blobs.get(hash))!.bytes.arrayBuffer())).toEqual(PNG);
  });
});
