// A server database restored from an earlier copy hands out the same change numbers again. A tablet's old cursor
// must not then skip the new changes that reuse them: the cursor carries the database generation, and the server
// starts a new one when it is told (npm run admin -- restored), when its watermark file shows the database went back
// in time, or when a tablet proves the server lost mutations it had acknowledged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createEnrolmentCode, createOrganisation, createSite } from '../../src/server/admin';
import { runCommand } from '../../src/server/cli';
import { describeEachBackend } from './support/backends';
import { GUIDE, T0, buildWorld, change, enrol, makeApp, tabletOf, type Tablet } from './support/world';

describeEachBackend('database generation', (_backend, it) => {
  const ids = (changes: { id: string }[]) => changes.map((c) => c.id).sort();

  it('after a restore from an earlier copy, noticed at start, a tablet with an old cursor gets the changes that reuse its numbers', async ({
    opened,
    serve,
  }) => {
    await opened.store.close();
    let server = await serve();
    const organisation = await createOrganisation(server.store, 'Helsingin Digituki', T0);
    const site = await createSite(server.store, organisation.id, 'Päiväkeskus Kallio', T0);
    const code = async () => (await createEnrolmentCode(server.store, site.id, 24, T0)).code;
    const writer = await enrol(server.http, await code());
    const other = await enrol(server.http, await code());
    const reader = await enrol(server.http, await code());
    await writer.push([change(writer, 'guides', 'g1', GUIDE)]);
    await server.close();
    const backup = await opened.snapshot(); // the administrator's nightly copy: g1

    server = await serve();
    const onServer = (tablet: Tablet) => tabletOf(server.http, tablet);
    await onServer(writer).push([change(writer, 'guides', 'g2', GUIDE), change(writer, 'guides', 'g3', GUIDE)]);
    const before = await onServer(reader).pullAll();
    expect(ids(before.changes)).toEqual(['g1', 'g2', 'g3']);
    await server.close();

    await backup.restore(); // the disk failed; the copy goes back: g2 and g3 are gone, and so are their numbers
    server = await serve();
    await onServer(other).push([change(other, 'guides', 'g4', GUIDE), change(other, 'guides', 'g5', GUIDE)]);
    const after = await onServer(reader).pullAll(before.cursor);
    expect(ids(after.changes)).toEqual(['g1', 'g4', 'g5']);
  });

  it('npm run admin -- restored starts a new generation: every old cursor gets a full resend', async ({ opened, store, world }) => {
    await world.a1.push([change(world.a1, 'guides', 'g1', GUIDE)]);
    const { cursor } = await world.a1b.pullAll();
    const printed: string[] = [];
    await runCommand(store, ['restored'], { json: false, print: (text) => printed.push(text) }, { DATA_DIR: opened.config.dataDir });
    expect(printed.join('\n')).toMatch(/new database generation/i);
    const again = await world.a1b.pull(cursor);
    expect(again.body.reset).toBe(true);
    expect(ids(again.body.changes)).toEqual(['g1']);
    const next = await world.a1b.pull(again.body.cursor);
    expect(next.body).toMatchObject({ reset: false, changes: [] });
  });

  it('a tablet that shows the server lost mutations it had acknowledged gets 409 serverBehind, and the generation changes', async ({ opened, world }) => {
    const { a1, a1b } = world;
    await a1.push([change(a1, 'guides', 'g1', GUIDE)]);
    await opened.store.close();
    const backup = await opened.snapshot();
    let store = await opened.reopen();
    let app = makeApp(store, { now: () => T0 });
    const acknowledged = await tabletOf(app, a1).push([change(a1, 'guides', 'g2', GUIDE), change(a1, 'guides', 'g3', GUIDE)]);
    expect(acknowledged.body.lastMutationId).toBe(3);
    const { cursor } = await tabletOf(app, a1b).pullAll();
    await store.close();
    await backup.restore(); // no watermark here: only the tablet can tell
    store = await opened.reopen();
    app = makeApp(store, { now: () => T0 });
    const tablet = tabletOf(app, a1);
    tablet.nextMutationId = 4;
    const behind = await tablet.push([change(tablet, 'guides', 'g4', GUIDE)], {}, { 'Digituki-Acknowledged': '3' });
    expect(behind.status).toBe(409);
    expect(behind.body).toMatchObject({ error: 'mutation_gap', expected: 2, serverBehind: true });
    // Nothing of that push was applied, and every old cursor now starts over.
    const resent = await tabletOf(app, a1b).pull(cursor);
    expect(resent.body.reset).toBe(true);
    expect(ids(resent.body.changes)).toEqual(['g1']);
    // A pull carrying the header is checked the same way; a tablet that is not ahead is served as usual.
    const pulling = await tabletOf(app, a1).request('/v1/pull', { headers: { 'Digituki-Acknowledged': '3' } });
    expect(pulling.status).toBe(409);
    expect(await pulling.json()).toMatchObject({ error: 'mutation_gap', expected: 2, serverBehind: true });
    expect((await tabletOf(app, a1).request('/v1/pull', { headers: { 'Digituki-Acknowledged': '1' } })).status).toBe(200);
    // The tablet numbers its waiting changes from 2 again and the server takes them.
    tablet.nextMutationId = 2;
    const resend = await tablet.push([change(tablet, 'guides', 'g2', GUIDE), change(tablet, 'guides', 'g3', GUIDE)], {}, { 'Digituki-Acknowledged': '1' });
    expect(resend.body).toMatchObject({ lastMutationId: 3, applied: 2 });
  });

  it('gives an old two-part cursor (from a tablet of the first release) a full resend, and a garbage header no trouble', async ({ world }) => {
    const { a1, a1b } = world;
    await a1.push([change(a1, 'guides', 'g1', GUIDE)]);
    const { cursor } = await a1b.pullAll();
    expect(cursor).toMatch(/^[0-9a-f]{16}\.[0-9a-f]{16}\.\d+$/);
    const twoPart = cursor.split('.').slice(1).join('.');
    const old = await a1b.pull(twoPart);
    expect(old.body.reset).toBe(true);
    expect(ids(old.body.changes)).toEqual(['g1']);
    for (const header of ['abc', '-1', '99999999999999999999', '']) {
      expect((await a1b.request('/v1/pull', { headers: { 'Digituki-Acknowledged': header } })).status).toBe(200);
    }
  });

  it('starts with a damaged or foreign watermark file and lists the restore step in the admin help', async ({ opened, serve }) => {
    await opened.store.close();
    writeFileSync(join(opened.config.dataDir, 'watermark.json'), '{"generation": 5, "counters": "x"');
    const server = await serve();
    const world = await buildWorld(server.store);
    await world.a1.push([change(world.a1, 'guides', 'g1', GUIDE)]);
    expect((await world.a1b.pullAll()).changes.map((c) => c.id)).toEqual(['g1']);
    const printed: string[] = [];
    await runCommand(server.store, ['help'], { json: false, print: (text) => printed.push(text) });
    expect(printed.join('\n')).toMatch(/restored .*after restoring the database from a backup/s);
  });

  it('keeps its generation over a normal restart: no needless full resend', async ({ opened, serve }) => {
    await opened.store.close();
    let server = await serve();
    const world = await buildWorld(server.store);
    await world.a1.push([change(world.a1, 'guides', 'g1', GUIDE)]);
    const { cursor } = await world.a1b.pullAll();
    await server.close();
    server = await serve();
    const again = await tabletOf(makeApp(server.store, { now: () => T0 }), world.a1b).pull(cursor);
    expect(again.body).toMatchObject({ reset: false, changes: [] });
  });
});
